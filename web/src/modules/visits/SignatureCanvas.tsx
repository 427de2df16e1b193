/**
 * A signature drawn with a finger, a stylus or a mouse (pointer events), answered as a PNG data URL. Used on
 * the customer's second screen and on the clerk's page when there is no pad.
 */
import { Button, Flex } from 'antd';
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';

export interface SignatureHandle {
  /** The drawing as a PNG data URL, or null when nothing was drawn. */
  png: () => string | null;
  clear: () => void;
}

export const SignatureCanvas = forwardRef<
  SignatureHandle,
  {
    width: number;
    height: number;
    clearLabel: string;
    testId: string;
    onChange?: (drawn: boolean) => void;
    large?: boolean;
  }
>(function SignatureCanvas({ width, height, clearLabel, testId, onChange, large = false }, ref) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [drawn, setDrawn] = useState(false);

  const context = () => canvas.current?.getContext('2d') ?? null;
  const clear = useCallback(() => {
    const c = canvas.current;
    const g = context();
    if (!c || !g) return;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, c.width, c.height);
    setDrawn(false);
  }, []);
  useEffect(() => {
    clear();
  }, [clear, width, height]);
  useEffect(() => {
    onChange?.(drawn);
  }, [drawn, onChange]);

  useImperativeHandle(ref, () => ({
    png: () => (drawn && canvas.current ? canvas.current.toDataURL('image/png') : null),
    clear,
  }));

  const at = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return [((e.clientX - r.left) * width) / r.width, ((e.clientY - r.top) * height) / r.height] as const;
  };
  return (
    <Flex vertical gap={8} style={{ width: '100%', maxWidth: width }}>
      <canvas
        ref={canvas}
        width={width}
        height={height}
        data-testid={testId}
        style={{
          width: '100%',
          aspectRatio: `${width} / ${height}`,
          border: '2px dashed #bfbfbf',
          borderRadius: 8,
          background: '#fff',
          touchAction: 'none',
          cursor: 'crosshair',
        }}
        onPointerDown={(e) => {
          const g = context();
          if (!g) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          drawing.current = true;
          const [x, y] = at(e);
          g.strokeStyle = '#111';
          g.lineWidth = large ? 4 : 3;
          g.lineCap = 'round';
          g.lineJoin = 'round';
          g.beginPath();
          g.moveTo(x, y);
        }}
        onPointerMove={(e) => {
          const g = context();
          if (!drawing.current || !g) return;
          const [x, y] = at(e);
          g.lineTo(x, y);
          g.stroke();
          if (!drawn) setDrawn(true);
        }}
        onPointerUp={() => {
          drawing.current = false;
        }}
        onPointerLeave={() => {
          drawing.current = false;
        }}
      />
      <Button
        onClick={clear}
        size={large ? 'large' : 'middle'}
        data-testid={`${testId}-clear`}
        style={{ alignSelf: 'flex-start' }}
      >
        {clearLabel}
      </Button>
    </Flex>
  );
});
