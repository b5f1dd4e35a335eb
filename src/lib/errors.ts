/**
 * Errors a service may throw. `message` is safe to show to whoever made the request;
 * anything internal goes in `cause`, which is logged and never rendered.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
  }
}

export class NotFoundError extends AppError {
  constructor(code: string, message = 'Not found') {
    super(404, code, message);
    this.name = 'NotFoundError';
  }
}

export class ValidationError extends AppError {
  readonly fields: Record<string, string>;
  constructor(code: string, message: string, fields: Record<string, string> = {}) {
    super(400, code, message);
    this.name = 'ValidationError';
    this.fields = fields;
  }
}

export class ForbiddenError extends AppError {
  constructor(code: string, message = 'You are not allowed to do that') {
    super(403, code, message);
    this.name = 'ForbiddenError';
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(409, code, message, options);
    this.name = 'ConflictError';
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
