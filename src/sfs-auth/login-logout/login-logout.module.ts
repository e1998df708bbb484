import { Module } from '@nestjs/common';
import { SfsAuthEventListener } from './login-logout.listener';

/**
 * The listener of the host's login and logout events.
 *
 * @internal
 */
@Module({
  providers: [SfsAuthEventListener],
})
export class SfsLoginLogoutModule {}
