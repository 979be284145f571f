import { MetricsRegistry } from './metrics-registry';
import { InvalidMetricNameError, fixed18ToDecimal, renderExposition } from './render-exposition';

describe('renderExposition', () => {
  it('writes HELP, TYPE and one line per sample, escaping label values and help text', () => {
    const text = renderExposition([
      { name: 'ccr_x_total', help: 'X with a \\ and\na newline.', type: 'counter', samples: [{ labels: {}, value: 3 }] },
      { name: 'ccr_y', help: 'Y.', type: 'gauge', samples: [{ labels: { chain: 'a"b\\c\nd', eid: 7 }, value: 10n ** 30n }, { labels: { chain: 'z' }, value: '1.5' }] },
    ]);
    expect(text).toBe(
      [
        '# HELP ccr_x_total X with a \\\\ and\\na newline.',
        '# TYPE ccr_x_total counter',
        'ccr_x_total 3',
        '# HELP ccr_y Y.',
        '# TYPE ccr_y gauge',
        'ccr_y{chain="a\\"b\\\\c\\nd",eid="7"} 1000000000000000000000000000000',
        'ccr_y{chain="z"} 1.5',
        '',
      ].join('\n'),
    );
  });

  it('refuses invalid metric and label names', () => {
    expect(() => renderExposition([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow(InvalidMetricNameError);
    expect(() => renderExposition([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'bad-label': 1 }, value: 1 }] }])).toThrow(InvalidMetricNameError);
  });

  it('formats 18-decimal USD exactly', () => {
    expect(fixed18ToDecimal(0n)).toBe('0');
    expect(fixed18ToDecimal(2_940_000_000_000_000_000n)).toBe('2.94');
    expect(fixed18ToDecimal(1n)).toBe('0.000000000000000001');
    expect(fixed18ToDecimal(123n * 10n ** 30n)).toBe('123000000000000');
  });
});

describe('MetricsRegistry', () => {
  it('counts by labels, shows untouched counters as 0, and keeps cumulative histogram buckets', () => {
    const m = new MetricsRegistry();
    m.inc('ccr_would_revert_total', { error: 'EnforcedPause' });
    m.inc('ccr_would_revert_total', { error: 'EnforcedPause' }, 2);
    m.observe('post', 0.02);
    m.observe('post', 3);
    const text = renderExposition(m.families());
    expect(text).toContain('ccr_would_revert_total{error="EnforcedPause"} 3\n');
    expect(text).toContain('ccr_posts_reverted_total 0\n');
    expect(text).toContain('ccr_stage_duration_seconds_bucket{stage="post",le="0.01"} 0\n');
    expect(text).toContain('ccr_stage_duration_seconds_bucket{stage="post",le="0.025"} 1\n');
    expect(text).toContain('ccr_stage_duration_seconds_bucket{stage="post",le="5"} 2\n');
    expect(text).toContain('ccr_stage_duration_seconds_bucket{stage="post",le="+Inf"} 2\n');
    expect(text).toContain('ccr_stage_duration_seconds_sum{stage="post"} 3.02\n');
    expect(text).toContain('ccr_stage_duration_seconds_count{stage="post"} 2\n');
  });
});
