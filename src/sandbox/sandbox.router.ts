import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { SFS_WIRE } from '../sfs-auth/sfs/sfs-wire';
import type { SandboxCallLog, SandboxLoggedCall } from './sandbox-call.log';
import { handleContractCall } from './sandbox-contract.handler';
import {
  handleControlCall,
  SFS_SANDBOX_CONTROL_PREFIX,
  type SandboxControlTarget,
} from './sandbox-control.api';
import type { SandboxFaultInjector } from './sandbox-fault.injector';
import {
  errorReply,
  readRequest,
  sendReply,
  type SandboxReply,
  type SandboxRequest,
} from './sandbox-http';
import { classifyCall, SandboxHttpError } from './sandbox-request.validator';
import type { SandboxSfsContext } from './sandbox-sfs.context';
import { handleTokenCall } from './sandbox-token.handler';
import type { SfsSandboxFault } from './sfs-sandbox.types';

/** What the router works with. */
export interface SandboxRouterDeps {
  readonly sfs: SandboxSfsContext;
  readonly log: SandboxCallLog;
  readonly faults: SandboxFaultInjector;
  readonly control: SandboxControlTarget;
  readonly controlKey: string;
}

/**
 * Routes each request: control API, else log the SFS call, apply its fault (before any token
 * state is touched, so a faulted call changes nothing), else answer it.
 */
export class SandboxRouter {
  private readonly pendingDelays = new Set<() => void>();
  private stopped = false;

  constructor(private readonly deps: SandboxRouterDeps) {}

  /** The `request` listener of the HTTPS server. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    readRequest(req)
      .then((request) => this.dispatch(request, req, res))
      .catch((error: unknown) => {
        // An aborted upload, or a bug: either way this request gets no answer.
        if (!req.destroyed && !this.stopped) console.error('SFS sandbox: request failed', error);
        req.socket.destroy();
      });
  };

  /** Ends pending delays without answering; later requests are dropped. */
  stop(): void {
    this.stopped = true;
    for (const wake of this.pendingDelays) wake();
  }

  private async dispatch(
    request: SandboxRequest,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    if (request.path.startsWith(SFS_SANDBOX_CONTROL_PREFIX)) {
      sendReply(res, handleControlCall(request, this.deps.control, this.deps.controlKey));
      return;
    }
    const kind = classifyCall(request);
    const entry = this.deps.log.record(request, kind);
    const fault = this.deps.faults.next(kind);
    if (fault) {
      entry.fault = fault;
      if (fault.delayMs) await this.delay(fault.delayMs);
      if (this.stopped) return;
      if (fault.reset) return void req.socket.destroy();
      // A hang keeps the response open; close() destroys the socket.
      if (fault.hang) return;
      if (fault.status !== undefined) return this.finish(entry, res, faultReply(fault));
    }
    if (this.stopped) return;
    this.finish(entry, res, this.answer(request, entry));
  }

  private answer(request: SandboxRequest, entry: SandboxLoggedCall): SandboxReply {
    if (request.tooLarge) return errorReply(413, 'Body too large');
    try {
      if (request.method === 'POST' && request.path === SFS_WIRE.tokenPath) {
        return handleTokenCall(request, this.deps.sfs, entry);
      }
      if (request.method === 'POST' && request.path === SFS_WIRE.contractPath) {
        return handleContractCall(request, this.deps.sfs, entry);
      }
      return errorReply(404, 'Not found');
    } catch (error) {
      if (error instanceof SandboxHttpError) {
        return errorReply(error.status, error.message, error.headers);
      }
      console.error('SFS sandbox: unexpected error', error);
      return errorReply(500, 'Internal sandbox error');
    }
  }

  private finish(entry: SandboxLoggedCall, res: ServerResponse, reply: SandboxReply): void {
    entry.status = reply.status;
    const message = (reply.body as { message?: unknown } | undefined)?.message;
    if (reply.status >= 400 && typeof message === 'string') entry.errorMessage = message;
    sendReply(res, reply);
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.pendingDelays.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.pendingDelays.add(wake);
    });
  }
}

function faultReply(fault: SfsSandboxFault): SandboxReply {
  const status = fault.status as number;
  const headers = fault.retryAfter === undefined ? undefined : { 'Retry-After': fault.retryAfter };
  return errorReply(status, `${STATUS_CODES[status] ?? 'Error'} (sandbox fault)`, headers);
}
