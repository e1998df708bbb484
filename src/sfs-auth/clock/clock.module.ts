import { Module } from '@nestjs/common';
import { SfsClock, SfsSystemClock } from './clock';

/**
 * The clock every part reads (`SfsClock`; a test overrides it with `SfsManualClock`).
 *
 * @internal
 */
@Module({
  providers: [{ provide: SfsClock, useClass: SfsSystemClock }],
  exports: [SfsClock],
})
export class SfsClockModule {}
