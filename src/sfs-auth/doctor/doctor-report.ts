/** The outcome of one doctor step. */
export type SfsDoctorStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** One step as `--json` prints it. */
export interface SfsDoctorStep {
  readonly name: string;
  readonly status: SfsDoctorStatus;
  /** One line: what was checked and found, secrets masked. */
  readonly detail: string;
  readonly ms: number;
}

/** `nestjs-sfs-auth doctor --json`: `ok` is false when any step failed. */
export interface SfsDoctorReport {
  readonly ok: boolean;
  readonly steps: SfsDoctorStep[];
}

/** What a check answers: a status and its one-line reason. */
export interface SfsDoctorVerdict {
  readonly status: SfsDoctorStatus;
  readonly detail: string;
}

export const verdict = (status: SfsDoctorStatus, detail: string): SfsDoctorVerdict => ({
  status,
  detail,
});

/** Collects steps in order, timing each; a check that throws is a `fail` with its message. */
export class SfsDoctorRun {
  private readonly steps: SfsDoctorStep[] = [];

  constructor(private readonly redact: (text: string) => string) {}

  async step(name: string, check: () => Promise<SfsDoctorVerdict>): Promise<SfsDoctorVerdict> {
    const started = performance.now();
    let result: SfsDoctorVerdict;
    try {
      result = await check();
    } catch (error) {
      result = verdict('fail', error instanceof Error ? error.message : String(error));
    }
    const detail = this.redact(result.detail).replace(/\s+/g, ' ').trim();
    this.steps.push({
      name,
      status: result.status,
      detail,
      ms: Math.round(performance.now() - started),
    });
    return result;
  }

  skip(name: string, why: string): void {
    this.steps.push({ name, status: 'skip', detail: why, ms: 0 });
  }

  report(): SfsDoctorReport {
    return { ok: this.steps.every((s) => s.status !== 'fail'), steps: [...this.steps] };
  }
}

/** The report as text, a line per step, then the verdict. */
export function formatSfsDoctorReport(report: SfsDoctorReport): string {
  const width = Math.max(...report.steps.map((s) => s.name.length), 4);
  const lines = report.steps.map(
    (s) => `${s.status.padEnd(4)}  ${s.name.padEnd(width)}  ${s.detail} (${s.ms} ms)`,
  );
  const failed = report.steps.filter((s) => s.status === 'fail').length;
  const warned = report.steps.filter((s) => s.status === 'warn').length;
  lines.push(report.ok ? `doctor: ok (${warned} warnings)` : `doctor: ${failed} step(s) failed`);
  return lines.join('\n');
}
