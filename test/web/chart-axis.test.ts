/** The statistics charts' names never overlap: level when they fit their slot, otherwise turned far enough apart. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LINE, PLOT, categoryAxis, shortNames, textWidth } from '../../web/src/modules/queue/chart-axis.ts';

const NAMES = ['1号窗口', 'VIP专席 3号窗口', '张三', '欧阳明月', 'Counter 12', '集团客户 综合业务受理台'];

describe('the category axis', () => {
  it.each([
    [['1号', '2号', '3号'], 0],
    [['1号窗口', '2号窗口', '3号窗口', '4号窗口', '5号窗口', '6号窗口', '7号窗口'], 0],
    [Array.from({ length: 5 }, (_, i) => `VIP专席${i + 1} 综合受理`), 35],
    [Array.from({ length: 10 }, (_, i) => `${i + 1}号窗口 综合业务`), 60],
    [Array.from({ length: 20 }, (_, i) => `员工${i + 1}`), 90],
  ])('%j is turned %i°', (labels, rotate) => {
    expect(categoryAxis(labels).xAxis.axisLabel.rotate).toBe(rotate);
  });

  it('leaves out the words every name begins with', () => {
    expect(shortNames(['青原人民路营业厅 1号窗口', '青原人民路营业厅 2号窗口（缴费）'])).toEqual([
      '1号窗口',
      '2号窗口（缴费）',
    ]);
    expect(shortNames(['张三', '张三丰'])).toEqual(['张三', '张三丰']);
    expect(shortNames(['A hall 1', 'A hall 1'])).toEqual(['1', '1']);
    expect(categoryAxis(['青原 1号', '青原 2号']).xAxis.data).toEqual(['1号', '2号']);
  });

  it('no two shown names overlap, whatever the names and their number', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 60 }), (labels) => {
        const { xAxis, grid, height } = categoryAxis(labels);
        const { rotate, width, interval } = xAxis.axisLabel;
        const slot = (PLOT / labels.length) * (interval + 1);
        if (rotate === 0) {
          // every name fits its slot (names are cut to the width, which is within the slot)
          for (const l of labels) expect(Math.min(textWidth(l), width)).toBeLessThanOrEqual(slot);
        } else {
          expect(slot * Math.sin((rotate * Math.PI) / 180)).toBeGreaterThanOrEqual(LINE);
        }
        // the plot keeps its room
        expect(height - grid.top - grid.bottom).toBeGreaterThanOrEqual(220);
      }),
    );
  });
});
