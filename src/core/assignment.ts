/**
 * Automatic assignment of a group queue's work (issue #14, 3§1.1.3): among the members on duty who may
 * handle it, round robin (the next after the one who got the last) or least loaded (fewest open orders;
 * ties go round robin from the last, so equal members take turns). Pure: the caller reads who is on duty,
 * their loads and the queue's cursor.
 */
export type AssignmentMode = 'round_robin' | 'least_loaded';

export interface Candidate {
  id: string;
  /** Open orders assigned to them now. */
  load: number;
}

/**
 * The member to assign, or null when nobody is on duty. `lastId` is the member who got the queue's last
 * automatic assignment (null at first, or gone since). Candidates are ordered by id, so the order of the
 * input does not matter.
 */
export function pickAssignee(
  candidates: readonly Candidate[],
  mode: AssignmentMode,
  lastId: string | null,
): string | null {
  if (candidates.length === 0) return null;
  const sorted = [...candidates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Round-robin order: those after the last one first, then from the start.
  const after = lastId === null ? 0 : sorted.findIndex((c) => c.id > lastId);
  const turn = after <= 0 ? sorted : [...sorted.slice(after), ...sorted.slice(0, after)];
  if (mode === 'round_robin') return turn[0]!.id;
  const least = Math.min(...turn.map((c) => c.load));
  return turn.find((c) => c.load === least)!.id;
}
