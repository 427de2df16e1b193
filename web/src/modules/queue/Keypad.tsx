/** An on-screen numeric keypad for touch screens (kiosk): digits, clear, backspace. */
import { Button } from 'antd';
import { useT } from '../../platform/i18n.tsx';
import './queue.css';

const messages = {
  clear: { zh: '清除', en: 'Clear' },
  back: { zh: '退格', en: 'Back' },
};

export function Keypad({
  value,
  onChange,
  maxLength = 11,
  testId = 'keypad',
}: {
  value: string;
  onChange: (v: string) => void;
  maxLength?: number;
  testId?: string;
}) {
  const { t } = useT(messages);
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'];
  const press = (k: string) => {
    if (k === 'clear') onChange('');
    else if (k === 'back') onChange(value.slice(0, -1));
    else if (value.length < maxLength) onChange(value + k);
  };
  return (
    <div
      data-testid={testId}
      className="fuwu-keypad"
      style={{
        display: 'grid',
        gridTemplateColumns: 'repeat(3, 1fr)',
        gap: 12,
        maxWidth: 420,
        margin: '0 auto',
      }}
    >
      {keys.map((k) => (
        <Button
          key={k}
          className="fuwu-kiosk-key"
          data-testid={`${testId}-${k}`}
          onClick={() => press(k)}
          type={k === 'clear' || k === 'back' ? 'default' : 'primary'}
          ghost={k !== 'clear' && k !== 'back'}
          style={k === 'clear' || k === 'back' ? { fontSize: 22 } : undefined}
        >
          {k === 'clear' ? t('clear') : k === 'back' ? t('back') : k}
        </Button>
      ))}
    </div>
  );
}

/** 186 0000 1234: a phone number grouped for reading on screen. */
export function groupedPhone(v: string): string {
  return [v.slice(0, 3), v.slice(3, 7), v.slice(7)].filter(Boolean).join(' ');
}
