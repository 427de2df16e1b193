/**
 * /display/:hallId — the calling display (叫号屏) on the hall's TV: the number called and its counter, large
 * and flashing for a few seconds, the last calls, waiting per category, the hall's notices. Follows the
 * hall's event stream (refetching at once on each call) and speaks the call. Runs with the display's
 * device token (`?token=…`) or a staff session.
 */
import { SoundOutlined } from '@ant-design/icons';
import { Spin } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DisplayState } from '../../../../src/modules/queue/contract.ts';
import { useLang, useT } from '../../platform/i18n.tsx';
import type { StreamEvent } from './client.ts';
import { AccessProblem, DevicePage } from './DevicePage.tsx';
import type { Device } from './DevicePage.tsx';
import { timeIn, useHallStream, useInterval, useServerClock } from './hooks.tsx';
import {
  announce,
  chime,
  hasChineseVoice,
  playServerAnnouncement,
  soundModeNow,
  unlockSound,
} from './sound.ts';
import type { SoundMode } from './sound.ts';
import './queue.css';

const messages = {
  nowCalling: { zh: '正在呼叫', en: 'Now calling' },
  goTo: { zh: '请到', en: 'Please go to' },
  counterInline: { zh: '{n} 号窗口', en: 'counter {n}' },
  counter: { zh: '{n} 号窗口', en: 'Counter {n}' },
  recent: { zh: '最近叫号', en: 'Recent calls' },
  number: { zh: '号码', en: 'Number' },
  window: { zh: '窗口', en: 'Counter' },
  waiting: { zh: '等候人数', en: 'Waiting' },
  people: { zh: '{n} 人', en: '{n}' },
  none: { zh: '请取号等候', en: 'Please take a ticket' },
  alsoCalling: { zh: '同时呼叫', en: 'Also called' },
  enableSound: { zh: '点击屏幕启用声音', en: 'Click to enable sound' },
  enableSoundHint: {
    zh: '浏览器需要一次点击才能播放叫号语音',
    en: 'The browser needs one click before it may speak the calls',
  },
  sound: { zh: '声音', en: 'Sound' },
  'sound.voice': { zh: '语音播报', en: 'Voice' },
  'sound.audio': { zh: '语音播报（服务器录音）', en: 'Voice (server recording)' },
  'sound.chime': { zh: '提示音', en: 'Chime' },
  'sound.off': { zh: '未启用', en: 'Off' },
  offline: { zh: '连接中断，正在重连…', en: 'Connection lost, reconnecting…' },
};

type Call = DisplayState['recent'][number];
const keyOf = (c: Call) => `${c.ticketId}@${c.at}`;
const FLASH_MS = 4000;

function Display({ client, hallId }: Device) {
  const { t, lang } = useT(messages);
  const { setLang } = useLang();
  const [state, setState] = useState<DisplayState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [unlocked, setUnlocked] = useState(false);
  const [sound, setSound] = useState<SoundMode>('off');
  const [flashing, setFlashing] = useState<string | null>(null);
  const [lastSpoken, setLastSpoken] = useState('');
  const seen = useRef<Set<string> | null>(null);
  const unlockedRef = useRef(false);
  const langRef = useRef(lang);
  const flashTimer = useRef<number | null>(null);
  const audioRef = useRef<HTMLAudioElement | null>(null);
  /** The server's recordings play one after another: each batch waits for the one before. */
  const playing = useRef<Promise<unknown>>(Promise.resolve());
  const clock = useServerClock(1000);
  const { sync } = clock;

  useEffect(() => {
    langRef.current = lang;
  }, [lang]);

  const load = useCallback(async () => {
    try {
      const s = await client.get<DisplayState>(`/api/halls/${hallId}/display`);
      sync(s.at);
      setError(null);
      // Calls not seen before are new (a recall is a new call: a new instant); the first load only remembers.
      const fresh = seen.current === null ? [] : s.recent.filter((c) => !seen.current!.has(keyOf(c)));
      seen.current ??= new Set();
      for (const c of s.recent) seen.current.add(keyOf(c));
      setState(s);
      if (fresh.length > 0) {
        const newest = fresh[0]!;
        setFlashing(keyOf(newest));
        if (flashTimer.current !== null) window.clearTimeout(flashTimer.current);
        flashTimer.current = window.setTimeout(() => setFlashing(null), FLASH_MS);
        const text = [...fresh]
          .reverse()
          .map((c) => c.announcement.zh)
          .join('；');
        setLastSpoken(text);
        if (unlockedRef.current) {
          const calls = [...fresh].reverse();
          if (hasChineseVoice()) {
            let mode: SoundMode = 'off';
            for (const c of calls) mode = announce(c, { english: langRef.current === 'en-US' });
            setSound(mode);
          } else if (audioRef.current) {
            // No Chinese voice in this browser: the server's Mandarin recording, a chime if that fails.
            const element = audioRef.current;
            playing.current = playing.current.then(async () => {
              const ok = await playServerAnnouncement(element, hallId, client.token, calls);
              if (!ok) chime();
              setSound(ok ? 'audio' : 'chime');
            });
          }
        }
      }
    } catch (e) {
      setError(e);
    }
  }, [client, hallId, sync]);

  useEffect(() => {
    void load();
  }, [load]);
  useInterval(() => void load(), 10_000);
  const onEvent = useCallback(
    (e: StreamEvent) => {
      if (
        e.event.startsWith('ticket.') ||
        e.event === 'queue.notices_set' ||
        e.event === 'queue.configured' ||
        e.event === 'reconnected'
      ) {
        void load();
      }
    },
    [load],
  );
  const connected = useHallStream(state ? hallId : undefined, client.token, onEvent);

  const enable = () => {
    unlockSound();
    unlockedRef.current = true;
    setUnlocked(true);
    setSound(soundModeNow(true));
  };

  if (error && !state) return <AccessProblem kind="display" error={error} onRetry={() => void load()} />;
  if (!state) {
    return (
      <div style={{ padding: 96, textAlign: 'center', background: '#0b1d3a', minHeight: '100vh' }}>
        <Spin size="large" />
      </div>
    );
  }

  const main = state.recent[0] ?? null;
  const others = state.calling.filter((c) => !main || c.ticketId !== main.ticketId).slice(0, 3);
  const hallName = lang === 'en-US' && state.hall.nameEn ? state.hall.nameEn : state.hall.name;
  const notice = state.notices.map((n) => (lang === 'en-US' && n.en ? n.en : n.zh)).join('　　　');
  const isFlashing = main !== null && flashing === keyOf(main);
  const nowIso = new Date(clock.now).toISOString();
  const dateText = new Date(clock.now).toLocaleDateString(lang, {
    timeZone: state.hall.timeZone,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'long',
  });

  return (
    <div
      data-testid="page-display"
      data-last-announcement={lastSpoken}
      data-sound={sound}
      style={{
        minHeight: '100vh',
        height: '100vh',
        background: '#0b1d3a',
        color: '#fff',
        display: 'grid',
        gridTemplateRows: 'auto 1fr auto auto',
        overflow: 'hidden',
      }}
    >
      <header
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          background: '#c8102e',
          padding: '1.2vh 2.5vw',
          gap: 24,
        }}
      >
        <div
          style={{ fontSize: 'clamp(28px, 4.2vh, 56px)', fontWeight: 700 }}
          data-testid="display-hall-name"
        >
          {hallName}
        </div>
        <div style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
          <span style={{ fontSize: 'clamp(16px, 2.4vh, 30px)', opacity: 0.9 }}>{dateText}</span>
          <span
            style={{
              fontSize: 'clamp(28px, 4.8vh, 64px)',
              fontWeight: 700,
              fontVariantNumeric: 'tabular-nums',
            }}
          >
            {timeIn(nowIso, state.hall.timeZone, true)}
          </span>
          <button
            type="button"
            data-testid="display-lang"
            onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}
            style={{
              background: 'transparent',
              color: '#fff',
              border: '1px solid rgba(255,255,255,0.6)',
              borderRadius: 6,
              fontSize: 16,
              padding: '4px 10px',
              cursor: 'pointer',
            }}
          >
            {lang === 'zh-CN' ? 'EN' : '中'}
          </button>
        </div>
      </header>

      <main
        style={{
          display: 'grid',
          gridTemplateColumns: '3fr 2fr',
          gap: '2vw',
          padding: '2.5vh 2.5vw',
          minHeight: 0,
        }}
      >
        <section
          key={main ? keyOf(main) : 'none'}
          data-testid="display-current"
          className={isFlashing ? 'fuwu-flash' : undefined}
          style={{
            background: main ? '#132e5c' : '#102546',
            borderRadius: 24,
            display: 'flex',
            flexDirection: 'column',
            alignItems: 'center',
            justifyContent: 'center',
            padding: '2vh 2vw',
            minHeight: 0,
          }}
        >
          <div style={{ fontSize: 'clamp(24px, 4vh, 52px)', opacity: 0.85, letterSpacing: 8 }}>
            {t('nowCalling')}
          </div>
          {main ? (
            <>
              <div
                data-testid="display-number"
                style={{
                  fontSize: 'clamp(96px, 24vh, 300px)',
                  fontWeight: 800,
                  lineHeight: 1.05,
                  letterSpacing: 8,
                  fontVariantNumeric: 'tabular-nums',
                }}
              >
                {main.number}
              </div>
              <div
                data-testid="display-counter"
                style={{ fontSize: 'clamp(40px, 8vh, 110px)', fontWeight: 700, textAlign: 'center' }}
              >
                {t('goTo')}{' '}
                <span className="fuwu-nowrap" data-testid="display-counter-unit">
                  {t('counterInline', { n: main.counterNumber })}
                </span>
              </div>
              <div
                data-testid="display-announcement"
                className="fuwu-nowrap"
                style={{
                  fontSize: 'clamp(18px, 3vh, 40px)',
                  opacity: 0.85,
                  marginTop: '1vh',
                  maxWidth: '100%',
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                }}
              >
                <SoundOutlined /> {lang === 'en-US' ? main.announcement.en : main.announcement.zh}
              </div>
            </>
          ) : (
            <div style={{ fontSize: 'clamp(40px, 8vh, 110px)', fontWeight: 700, opacity: 0.7 }}>
              {t('none')}
            </div>
          )}
          {others.length > 0 && (
            <div style={{ display: 'flex', gap: 24, marginTop: '2vh', alignItems: 'center' }}>
              <span style={{ fontSize: 'clamp(18px, 2.6vh, 34px)', opacity: 0.8 }}>{t('alsoCalling')}</span>
              {others.map((c) => (
                <span
                  key={c.ticketId}
                  className="fuwu-nowrap"
                  style={{
                    fontSize: 'clamp(22px, 3.6vh, 48px)',
                    fontWeight: 700,
                    background: 'rgba(255,255,255,0.12)',
                    borderRadius: 12,
                    padding: '0.4vh 1vw',
                  }}
                >
                  {c.number} → {c.counterNumber}
                </span>
              ))}
            </div>
          )}
        </section>

        <section
          style={{
            background: '#102546',
            borderRadius: 24,
            padding: '2vh 2vw',
            minHeight: 0,
            overflow: 'hidden',
          }}
        >
          <div style={{ fontSize: 'clamp(22px, 3.6vh, 46px)', fontWeight: 700, marginBottom: '1.5vh' }}>
            {t('recent')}
          </div>
          <table data-testid="display-recent" style={{ width: '100%', borderCollapse: 'collapse' }}>
            <thead>
              <tr style={{ fontSize: 'clamp(16px, 2.4vh, 30px)', opacity: 0.7, textAlign: 'left' }}>
                <th style={{ fontWeight: 400, paddingBottom: '1vh' }}>{t('number')}</th>
                <th style={{ fontWeight: 400, paddingBottom: '1vh' }}>{t('window')}</th>
              </tr>
            </thead>
            <tbody>
              {state.recent.slice(0, 6).map((c, i) => (
                <tr
                  key={keyOf(c)}
                  style={{
                    fontSize: 'clamp(26px, 5vh, 64px)',
                    fontWeight: 700,
                    color: i === 0 ? '#ffd666' : '#fff',
                    borderTop: '1px solid rgba(255,255,255,0.12)',
                  }}
                >
                  <td style={{ padding: '0.6vh 0', fontVariantNumeric: 'tabular-nums' }}>{c.number}</td>
                  <td
                    style={{ padding: '0.6vh 0' }}
                    className="fuwu-nowrap"
                    data-testid="display-recent-counter"
                  >
                    {t('counter', { n: c.counterNumber })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </main>

      <section
        data-testid="display-waiting"
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: '1vw',
          padding: '0 2.5vw 2vh',
          alignItems: 'center',
        }}
      >
        <span style={{ fontSize: 'clamp(18px, 3vh, 38px)', opacity: 0.8, marginRight: 8 }}>
          {t('waiting')}
        </span>
        {state.waitingByCategory.map((c) => (
          <span
            key={c.code}
            data-testid={`display-waiting-${c.code}`}
            style={{
              fontSize: 'clamp(18px, 3vh, 38px)',
              background: '#1d3f75',
              borderRadius: 12,
              padding: '0.6vh 1.2vw',
              whiteSpace: 'nowrap',
            }}
          >
            {lang === 'en-US' ? c.nameEn : c.name}{' '}
            <b style={{ color: '#ffd666' }}>{t('people', { n: c.waiting })}</b>
          </span>
        ))}
      </section>

      <footer
        style={{
          background: '#fff1b8',
          color: '#614700',
          fontSize: 'clamp(20px, 3.4vh, 44px)',
          padding: '1vh 0',
          overflow: 'hidden',
          display: 'flex',
          alignItems: 'center',
        }}
      >
        <span style={{ padding: '0 1.5vw', flex: 'none', display: 'flex', alignItems: 'center', gap: 8 }}>
          <SoundOutlined />
          <span data-testid="display-sound" style={{ fontSize: 'clamp(14px, 2vh, 24px)' }}>
            {t(`sound.${sound}`)}
          </span>
        </span>
        <div style={{ overflow: 'hidden', flex: 1 }}>
          <span className="fuwu-marquee" data-testid="display-notices">
            {notice}
          </span>
        </div>
        {!connected && (
          <span style={{ padding: '0 1.5vw', color: '#a8071a', fontSize: 'clamp(14px, 2vh, 24px)' }}>
            {t('offline')}
          </span>
        )}
      </footer>

      <audio ref={audioRef} data-testid="display-audio" preload="none" style={{ display: 'none' }} />
      {!unlocked && (
        <button
          type="button"
          data-testid="display-enable-sound"
          onClick={enable}
          style={{
            position: 'fixed',
            inset: 0,
            background: 'rgba(5, 12, 28, 0.72)',
            color: '#fff',
            border: 'none',
            cursor: 'pointer',
            display: 'flex',
            flexDirection: 'column',
            alignItems: 'center',
            justifyContent: 'center',
            gap: 16,
          }}
        >
          <SoundOutlined style={{ fontSize: 96 }} />
          <span style={{ fontSize: 48, fontWeight: 700 }}>{t('enableSound')}</span>
          <span style={{ fontSize: 24, opacity: 0.8 }}>{t('enableSoundHint')}</span>
        </button>
      )}
    </div>
  );
}

export default function DisplayPage() {
  return <DevicePage kind="display">{(d) => <Display {...d} />}</DevicePage>;
}
