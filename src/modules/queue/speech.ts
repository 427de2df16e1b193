/**
 * The calling display's Mandarin announcement as audio, for browsers without a Chinese voice (issue #12):
 * "请 A 0 1 2 号，到 3 号窗口" rendered by eSpeak NG (the npm package's WASM build, voice `cmn`, no system
 * package). A phrase is one ticket number × one counter; each is rendered once and kept (at most
 * `CACHED_PHRASES`, the least recently used dropped first), and renders run one at a time so a burst of
 * calls does not take every core.
 */
import ESpeakNg from 'espeak-ng';

/** About 150–180 KB a phrase: a few hundred calls of a day fit in some tens of MB. */
export const CACHED_PHRASES = 300;

const cache = new Map<string, Promise<Buffer>>();
let queue: Promise<unknown> = Promise.resolve();
let renders = 0;

/** What eSpeak reads: the number's letter and digits one by one (else "012" is read as twelve). */
export function spokenCall(number: string, counterNumber: number): string {
  return `请 ${number.split('').join(' ')} 号，到 ${counterNumber} 号窗口`;
}

async function render(text: string): Promise<Buffer> {
  const quiet = () => undefined;
  renders += 1;
  const es = await ESpeakNg({
    arguments: ['-v', 'cmn', '-s', '150', '-w', 'call.wav', text],
    print: quiet,
    printErr: quiet,
  });
  return Buffer.from(es.FS.readFile('call.wav'));
}

/** The WAV of a call of `number` to counter `counterNumber` (rendered at most once while cached). */
export function announcementWav(number: string, counterNumber: number): Promise<Buffer> {
  const key = `${number}@${counterNumber}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const made = queue.then(() => render(spokenCall(number, counterNumber)));
  queue = made.catch(() => undefined);
  cache.set(key, made);
  made.catch(() => cache.delete(key));
  while (cache.size > CACHED_PHRASES) cache.delete(cache.keys().next().value!);
  return made;
}

/** How many phrases were rendered since the process started (the tests see the cache at work). */
export const renderCount = () => renders;
