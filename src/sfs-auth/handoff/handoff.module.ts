import { Module } from '@nestjs/common';
import { SfsSessionTokenController } from './session-token.controller';
import { SfsSessionTokenService } from './session-token.service';

/**
 * The browser hand-off: `GET /sfs/session/token` and its stream. The routes answer 404 until
 * `handoff.resolveSubject` is given (options may come from a factory, so they are always mounted).
 *
 * @internal
 */
@Module({
  controllers: [SfsSessionTokenController],
  providers: [SfsSessionTokenService],
})
export class SfsHandoffModule {}
