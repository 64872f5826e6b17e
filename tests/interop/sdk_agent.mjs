// An A2A agent built only from the official JavaScript SDK's own server pieces
// (DefaultRequestHandler + express JSON-RPC transport), so that constellation's
// client is tested against the real thing rather than against our reading of it.
//
//   node sdk_agent.mjs --host 127.0.0.x --port N --name NAME --mode v10|v03
//                      [--log FILE] [--delay-ms N] [--slow-ms N] [--no-streaming]
//                      [--refuse-streaming]
//
// v10: a v1.0 card (supportedInterfaces 1.0 + 0.3) with the SDK's v0.3 compatibility
//      layer on: the same setup as the captures in shared/fixtures/a2a-js-wire.
// v03: a peer that only speaks v0.3. Its card is written in the v0.3 shape
//      (protocolVersion/url/preferredTransport, no supportedInterfaces) and served
//      whatever A2A-Version the request carries, as a 0.3-era server would; the SDK
//      then rejects v1.0 requests (-32009) because the card declares no 1.0 interface.
//
// Messages: a text with "please cancel me" stays working until canceled; one with
// "please answer slowly" is answered after --slow-ms (default 2000), so a client has
// to follow the task for a while; anything else is answered at once.
//
// Streaming: the card says capabilities.streaming:true (pushNotifications:false) and
// the SDK's DefaultRequestHandler serves message/stream, tasks/resubscribe,
// SendStreamingMessage and SubscribeToTask. --no-streaming makes the card say false;
// --refuse-streaming keeps the card's true but answers every streaming method with a
// plain JSON-RPC -32004 reply, like a server whose streams are switched off.
//
// Prints "ready" once listening; exits 0 on SIGTERM/SIGINT.

import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

import express from 'express';
import { TaskState } from '@a2a-js/sdk';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import { parseLegacyAgentCard } from '@a2a-js/sdk/compat/v0_3/client';

const { values: opt } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    name: { type: 'string' },
    mode: { type: 'string', default: 'v10' },
    log: { type: 'string' },
    'delay-ms': { type: 'string', default: '0' },
    'slow-ms': { type: 'string', default: '2000' },
    'no-streaming': { type: 'boolean', default: false },
    'refuse-streaming': { type: 'boolean', default: false },
  },
  strict: true,
});
if (!opt.port || !opt.name || !['v10', 'v03'].includes(opt.mode)) {
  console.error('usage: sdk_agent.mjs --host H --port N --name NAME --mode v10|v03 [--log FILE] [--delay-ms N]');
  process.exit(2);
}
const delayMs = Number(opt['delay-ms']);
const slowMs = Number(opt['slow-ms']);
const streaming = !opt['no-streaming'];
const baseUrl = `http://${opt.host}:${opt.port}`;
const endpoint = `${baseUrl}/`;

const skill = {
  id: 'echo',
  name: 'echo',
  description: 'Answers every message with "<name> got: <text>"',
  tags: ['echo'],
  examples: [],
  inputModes: [],
  outputModes: [],
  securityRequirements: [],
};

// The v0.3 card exactly as a v0.3 agent publishes it. protocolVersion is "0.3", not
// "0.3.0": the SDK compares the request's A2A-Version (absent = "0.3") with the card's
// interface versions as plain strings, so "0.3.0" would lock every v0.3 client out.
const legacyCard = {
  protocolVersion: '0.3',
  name: opt.name,
  description: 'SDK interop agent (v0.3 only)',
  url: endpoint,
  preferredTransport: 'JSONRPC',
  version: '1.0.0',
  capabilities: { streaming, pushNotifications: false },
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain'],
  skills: [{ id: skill.id, name: skill.name, description: skill.description, tags: skill.tags }],
};

// The request handler always wants the v1.0 (proto) card; for v03 it is derived from
// the v0.3 card by the SDK's own translator so both views agree.
const card =
  opt.mode === 'v03'
    ? parseLegacyAgentCard(legacyCard)
    : {
        name: opt.name,
        description: 'SDK interop agent (v1.0 with v0.3 compatibility)',
        version: '1.0.0',
        supportedInterfaces: [
          { url: endpoint, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' },
          { url: endpoint, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '0.3' },
        ],
        provider: undefined,
        capabilities: { streaming, pushNotifications: false, extensions: [], extendedAgentCard: false },
        securitySchemes: {},
        securityRequirements: [],
        defaultInputModes: ['text/plain'],
        defaultOutputModes: ['text/plain'],
        skills: [skill],
        signatures: [],
      };

const now = () => new Date().toISOString();
const textOf = (message) =>
  (message?.parts ?? [])
    .filter((p) => p.content?.$case === 'text')
    .map((p) => p.content.value)
    .join('');

// File and data parts of a message, described in the answer ("[file NAME TYPE N bytes
// sha256 HEX]", "[data JSON]") so a test can check what arrived; each inline file is also
// echoed back in the answer's artifact as "echo-NAME", for a byte-exact round trip.
const attachmentsOf = (message) => (message?.parts ?? []).filter((p) => p.content?.$case !== 'text');
function describeAttachment(part) {
  const c = part.content;
  if (c.$case === 'raw') {
    const bytes = Buffer.from(c.value);
    const sha = createHash('sha256').update(bytes).digest('hex');
    return ` [file ${part.filename} ${part.mediaType} ${bytes.length} bytes sha256 ${sha}]`;
  }
  if (c.$case === 'url') return ` [url ${c.value}]`;
  return ` [data ${JSON.stringify(c.value)}]`;
}
const echoes = (message) =>
  attachmentsOf(message)
    .filter((p) => p.content.$case === 'raw')
    .map((p) => ({ content: { $case: 'raw', value: Buffer.from(p.content.value) }, metadata: undefined, filename: `echo-${p.filename}`, mediaType: p.mediaType }));

// Running tasks by id ({abort, contextId}), so cancelTask can stop an execute() that is
// sleeping or parked (the "please cancel me" case) without it publishing afterwards.
const running = new Map();

const executor = {
  async execute(ctx, bus) {
    const { taskId, contextId, userMessage } = ctx;
    const abort = new AbortController();
    running.set(taskId, { abort, contextId });
    const status = (state) =>
      AgentEvent.statusUpdate({
        taskId,
        contextId,
        status: { state, message: undefined, timestamp: now() },
        metadata: undefined,
      });
    try {
      if (!ctx.task) {
        bus.publish(
          AgentEvent.task({
            id: taskId,
            contextId,
            status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: now() },
            artifacts: [],
            history: [userMessage],
            metadata: undefined,
          }),
        );
      }
      // The delay sits before WORKING so a caller that did not block sees "submitted",
      // like a constellation task that nobody has answered yet.
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: abort.signal });
      bus.publish(status(TaskState.TASK_STATE_WORKING));
      const text = textOf(userMessage);
      if (text.includes('please cancel me')) {
        await new Promise((resolve) => abort.signal.addEventListener('abort', resolve, { once: true }));
        return;
      }
      if (text.includes('please answer slowly')) await sleep(slowMs, undefined, { signal: abort.signal });
      bus.publish(
        AgentEvent.artifactUpdate({
          taskId,
          contextId,
          artifact: {
            artifactId: `answer-${taskId}`,
            name: 'answer',
            description: '',
            parts: [
              { content: { $case: 'text', value: `${opt.name} got: ${text}${attachmentsOf(userMessage).map(describeAttachment).join('')}` }, metadata: undefined, filename: '', mediaType: 'text/plain' },
              ...echoes(userMessage),
            ],
            metadata: undefined,
            extensions: [],
          },
          append: false,
          lastChunk: true,
          metadata: undefined,
        }),
      );
      bus.publish(status(TaskState.TASK_STATE_COMPLETED));
      bus.finished();
    } catch (err) {
      if (!abort.signal.aborted) throw err; // canceled: cancelTask already finished the bus
    } finally {
      running.delete(taskId);
    }
  },

  async cancelTask(taskId, bus) {
    const run = running.get(taskId);
    run?.abort.abort();
    bus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId: run?.contextId ?? '',
        status: { state: TaskState.TASK_STATE_CANCELED, message: undefined, timestamp: now() },
        metadata: undefined,
      }),
    );
    bus.finished();
  },
};

const requestHandler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);

const app = express();

// Which dialect did the caller speak? One line per JSON-RPC request: method and the
// A2A-Version header ("-" when absent). Written when the response ends because only
// then has the SDK's own body parser run (parsing here would change its error replies).
if (opt.log) {
  app.post('/', (req, res, next) => {
    res.on('close', () => {
      const method = typeof req.body?.method === 'string' ? req.body.method : '(unparsed)';
      appendFileSync(opt.log, `${method}\t${req.header('A2A-Version') ?? '-'}\n`);
    });
    next();
  });
}

if (opt['refuse-streaming']) {
  const streamingMethods = ['message/stream', 'tasks/resubscribe', 'SendStreamingMessage', 'SubscribeToTask'];
  app.post('/', express.json(), (req, res, next) => {
    if (!streamingMethods.includes(req.body?.method)) return next();
    res.json({ jsonrpc: '2.0', id: req.body.id ?? null, error: { code: -32004, message: 'Streaming is switched off here' } });
  });
}

if (opt.mode === 'v03') {
  app.get('/.well-known/agent-card.json', (_req, res) => res.json(legacyCard));
} else {
  app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: requestHandler, legacyCompat: { enabled: true } }));
}
app.use(jsonRpcHandler({ requestHandler, userBuilder: UserBuilder.noAuthentication, legacyCompat: { enabled: true } }));

// Express 5 calls the listen callback on failure too, with the error.
const server = app.listen(Number(opt.port), opt.host, (err) => {
  if (err) {
    console.error(`sdk_agent: ${err.message}`);
    process.exit(1);
  }
  console.log('ready');
});

function stop() {
  for (const run of running.values()) run.abort.abort();
  server.close(() => process.exit(0));
  // Keep-alive connections from clients would hold close() open.
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
