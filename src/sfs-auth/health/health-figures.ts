import type { SfsTokenHealthFigures } from '../persistence/token-read.model';
import type { SfsChangeFeedStatus } from '../persistence/token.store';

/** The module-wide figures of `SfsAuthHealthIndicator.figures()`, also read by metrics gauges. */
export interface SfsAuthHealthFigures extends SfsTokenHealthFigures {
  /** How this instance learns of other instances' revocations, and how far behind it may be. */
  readonly changeFeed: SfsChangeFeedStatus;
}
