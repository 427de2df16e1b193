/**
 * The calling display's voice: speechSynthesis with a Chinese voice ("请A012号到3号窗口"); without one the
 * display plays the server's Mandarin recording of the call (`playServerAnnouncement`, espeak-ng on the
 * server), and a short two-tone chime from WebAudio only when that fails too. Browsers allow sound only
 * after a gesture: `unlock()` on a click.
 */

let audio: AudioContext | null = null;

export type SoundMode = 'voice' | 'audio' | 'chime' | 'off';

/** Called from a click: makes audio and speech usable for the rest of the page's life. */
export function unlockSound(): void {
  try {
    const Ctor =
      window.AudioContext ??
      (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (Ctor && !audio) audio = new Ctor();
    void audio?.resume();
  } catch {
    audio = null;
  }
  try {
    if ('speechSynthesis' in window) {
      const u = new SpeechSynthesisUtterance(' ');
      u.volume = 0;
      window.speechSynthesis.speak(u);
    }
  } catch {
    // no speech
  }
}

function voiceFor(lang: 'zh' | 'en'): SpeechSynthesisVoice | null {
  if (!('speechSynthesis' in window)) return null;
  const voices = window.speechSynthesis.getVoices();
  const norm = (v: SpeechSynthesisVoice) => v.lang.replace('_', '-').toLowerCase();
  if (lang === 'zh') {
    return voices.find((v) => norm(v) === 'zh-cn') ?? voices.find((v) => norm(v).startsWith('zh')) ?? null;
  }
  return voices.find((v) => norm(v).startsWith('en')) ?? null;
}

/** Whether the browser has a Chinese voice (voices load late in some browsers: ask again when announcing). */
export function hasChineseVoice(): boolean {
  return voiceFor('zh') !== null;
}

/** Whether a Chinese voice exists (voices load late in some browsers: ask again when announcing). */
export function soundModeNow(unlocked: boolean): SoundMode {
  if (!unlocked) return 'off';
  return voiceFor('zh') ? 'voice' : 'audio';
}

/** A ding-dong of about a second. */
export function chime(): void {
  if (!audio) return;
  const start = audio.currentTime + 0.05;
  for (const [i, freq] of [880, 660].entries()) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    const t0 = start + i * 0.45;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.4, t0 + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.6);
    osc.connect(gain).connect(audio.destination);
    osc.start(t0);
    osc.stop(t0 + 0.65);
  }
}

/** Letters and digits read one by one: "A012" → "A 0 1 2" (a voice reads 012 as a number otherwise). */
function spelled(number: string): string {
  return number.split('').join(' ');
}

/**
 * Announces a call: twice in Chinese with a Chinese voice (and once in English when asked and an English
 * voice exists); a chime when there is no Chinese voice. Answers how it sounded.
 */
export function announce(
  call: { number: string; counterNumber: number },
  options: { english: boolean },
): SoundMode {
  const zh = voiceFor('zh');
  if (!zh) {
    chime();
    return audio ? 'chime' : 'off';
  }
  const say = (text: string, voice: SpeechSynthesisVoice) => {
    const u = new SpeechSynthesisUtterance(text);
    u.voice = voice;
    u.lang = voice.lang;
    u.rate = 0.9;
    window.speechSynthesis.speak(u);
  };
  const text = `请 ${spelled(call.number)} 号，到 ${call.counterNumber} 号窗口`;
  say(text, zh);
  say(text, zh);
  const en = options.english ? voiceFor('en') : null;
  if (en) say(`Number ${spelled(call.number)}, please go to counter ${call.counterNumber}`, en);
  return 'voice';
}

/**
 * Plays the server's Mandarin recording of each call in turn, twice each, in the page's <audio> element
 * (fetched with the display's token, which an <audio src> could not send). Answers false when a recording
 * could not be fetched or played (the caller chimes instead).
 */
export async function playServerAnnouncement(
  element: HTMLAudioElement,
  hallId: string,
  token: string | null,
  calls: { number: string; counterNumber: number }[],
): Promise<boolean> {
  for (const call of calls) {
    const query = new URLSearchParams({ number: call.number, counter: String(call.counterNumber) });
    let url: string;
    try {
      const res = await fetch(`/api/halls/${hallId}/display/announcement?${query}`, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        credentials: 'same-origin',
      });
      if (!res.ok) return false;
      url = URL.createObjectURL(await res.blob());
    } catch {
      return false;
    }
    try {
      for (let i = 0; i < 2; i++) {
        element.src = url;
        element.dataset.call = `${call.number}@${call.counterNumber}`;
        const ended = new Promise<void>((resolve, reject) => {
          element.onended = () => resolve();
          element.onerror = () => reject(new Error('audio'));
        });
        await element.play();
        element.dataset.played =
          `${element.dataset.played ?? ''} ${call.number}@${call.counterNumber}`.trim();
        await ended;
      }
    } catch {
      return false;
    } finally {
      URL.revokeObjectURL(url);
    }
  }
  return true;
}
