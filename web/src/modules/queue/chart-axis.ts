/** The category axis of the statistics charts, laid out so that no two names overlap. */

/** The width of a label in pixels at 12 px (a Chinese character about 12, a Latin one about 7). */
/** The height of a line of axis text, in pixels. */
export const LINE = 14;

export const textWidth = (s: string) => [...s].reduce((w, c) => w + (/[\u2e80-\uffff]/.test(c) ? 12 : 7), 0);

/**
 * The category axis and the room under it, so that no two names overlap (counter and clerk names are
 * long): level when every name fits its slot of the narrowest chart (360 px of plot), otherwise turned
 * (the more names, the steeper) and cut to 110 px with an ellipsis; the tooltip gives the whole name.
 */
/** The width of the plot of the narrowest chart (480 px less the axes). */
export const PLOT = 360;

/**
 * The names as the axis shows them: without the words they all begin with (the hall's name before each
 * counter's, "青原人民路营业厅 1号窗口" → "1号窗口"), cut at a space; the tooltip and the table keep them whole.
 */
export function shortNames(labels: readonly string[]): string[] {
  if (labels.length < 2) return [...labels];
  let prefix = labels[0]!;
  for (const l of labels) while (!l.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = prefix.lastIndexOf(' ');
  if (cut <= 0) return [...labels];
  const rest = labels.map((l) => l.slice(cut + 1));
  return rest.every((r) => r.trim().length > 0) ? rest : [...labels];
}

export function categoryAxis(all: string[]) {
  const labels = shortNames(all);
  const slot = PLOT / Math.max(1, labels.length);
  const widest = Math.max(0, ...labels.map(textWidth));
  const rotate = widest <= slot - 6 ? 0 : labels.length > 14 ? 90 : labels.length > 7 ? 60 : 35;
  const width = rotate === 0 ? Math.max(24, slot - 6) : 110;
  // Turned labels stand `slot × sin(angle)` apart; below a line of text (14 px) only every n-th is shown.
  const apart = slot * Math.sin((rotate * Math.PI) / 180);
  const interval = rotate === 0 ? 0 : Math.max(0, Math.ceil(LINE / apart) - 1);
  const drop =
    rotate === 0 ? 16 : Math.ceil(Math.min(widest, width) * Math.sin((rotate * Math.PI) / 180)) + 16;
  return {
    xAxis: {
      type: 'category',
      data: labels,
      axisLabel: { interval, rotate, width, overflow: 'truncate', ellipsis: '…' },
    },
    grid: { left: 56, right: 64, top: 40, bottom: 40 + drop },
    /** The chart's height: the plot keeps 260 px whatever the names take. */
    height: 300 + drop,
  };
}
