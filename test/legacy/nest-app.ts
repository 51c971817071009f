// A real NestJS application whose handlers carry `@trackExecutionTime()` above and below the
// route, guard and metadata decorators. Compiled by the real tsc with `experimentalDecorators`
// and `emitDecoratorMetadata` (see test/setup/global-setup.ts); it imports selfsame by its
// package name, as an application would (the package refers to itself: `dist/`).
import 'reflect-metadata';
import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  HttpCode,
  type INestApplication,
  Injectable,
  Module,
  Param,
  Post,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { type ExecutionRecord, trackExecutionTime } from 'selfsame';

/** Every timed handler call, in order. */
export const records: ExecutionRecord[] = [];
/** Every guard decision, as `handler:role:allowed`. */
export const decisions: string[] = [];

const timed = {
  logger: false,
  onRecord: (record: ExecutionRecord) => records.push(record),
} as const;

export const ROLE = 'case:role';
const Role = (role: string) => SetMetadata(ROLE, role);

/** Lets a request through when its `x-role` header matches the handler's `@Role()`. */
@Injectable()
export class RoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const role = this.reflector.get<string | undefined>(ROLE, context.getHandler());
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string> }>();
    const allowed = role !== undefined && request.headers['x-role'] === role;
    decisions.push(`${context.getHandler().name}:${role}:${allowed}`);
    return allowed;
  }
}

@Controller('tasks')
export class TasksController {
  /** selfsame above every Nest decorator. */
  @trackExecutionTime(timed)
  @Get()
  @UseGuards(RoleGuard)
  @Role('reader')
  list(): string[] {
    return ['write the cases', 'run them'];
  }

  /** selfsame below every Nest decorator. */
  @Get(':id')
  @UseGuards(RoleGuard)
  @Role('reader')
  @trackExecutionTime(timed)
  one(@Param('id') id: string): { id: string } {
    return { id };
  }

  /** selfsame in the middle, on an async handler. */
  @Post()
  @HttpCode(201)
  @trackExecutionTime(timed)
  @UseGuards(RoleGuard)
  @Role('writer')
  async create(@Body() body: { name: string }): Promise<{ created: string }> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    return { created: body.name };
  }
}

@Module({ controllers: [TasksController], providers: [RoleGuard] })
export class AppModule {}

/** Starts the application on a free loopback port. */
export async function start(): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}` };
}

export { Reflector };
