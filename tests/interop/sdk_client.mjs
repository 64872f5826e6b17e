// Drives the official JavaScript SDK's own CLIENT against an A2A server, the way an SDK
// user would, and checks every answer. Aimed at `constellation serve`; run against
// sdk_agent.mjs with --self-check first to prove the SDK usage itself is right.
//
//   node sdk_client.mjs --version 1.0|0.3 --url http://127.0.0.x:PORT --peer-name NAME
//                       [--self-check]
//
// Prints "ok <step>" per passing step and "FAIL <step>: ..." (with the last HTTP
// exchange) per failing one; carries on where later steps do not depend on the failed
// one, so a single run shows everything that is wrong; exits 1 if anything failed.
//
// --self-check: the server is sdk_agent.mjs (which answers "<name> got: <text>" by
// itself) instead of constellation with its scripted local agent. Only the places where
// the SDK server's behaviour legitimately differs are relaxed, each saying so.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import { Role, TaskState } from '@a2a-js/sdk';
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  ServiceParameters,
  withA2AVersion,
} from '@a2a-js/sdk/client';
import { parseLegacyAgentCard } from '@a2a-js/sdk/compat/v0_3/client';
import { A2A_ERROR_CODE, ERROR_INFO_TYPE, isJsonRpcError } from '@a2a-js/sdk/errors';

const { values: opt } = parseArgs({
  options: {
    version: { type: 'string' },
    url: { type: 'string' },
    'peer-name': { type: 'string' },
    'self-check': { type: 'boolean', default: false },
  },
  strict: true,
});
if (!['1.0', '0.3'].includes(opt.version) || !opt.url || !opt['peer-name']) {
  console.error('usage: sdk_client.mjs --version 1.0|0.3 --url BASE_URL --peer-name NAME [--self-check]');
  process.exit(2);
}
const v1 = opt.version === '1.0';
const selfCheck = opt['self-check'];
const peerName = opt['peer-name'];
const unique = `${opt.version}-${randomUUID().slice(0, 8)}`;
// Blocking calls wait for constellation's scripted agent (it polls every ~100 ms).
const callTimeoutMs = 20_000;

// ---- recording fetch: the last exchange is printed with a failure, so a failing run
// says what the server actually answered instead of only what the SDK made of it.
let lastExchange;
async function recordingFetch(input, init = {}) {
  const url = typeof input === 'string' ? input : input.url ?? String(input);
  lastExchange = { request: `${init.method ?? 'GET'} ${url} ${headerText(init.headers)}\n     ${init.body ?? ''}` };
  const res = await fetch(input, init);
  // An event stream is not read here: reading a clone to its end would wait for the end
  // of the stream, which a subscribe only reaches after the caller acts on its events.
  const streaming = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
  const body = streaming ? '(event stream)' : await res.clone().text().catch((e) => `(unreadable: ${e.message})`);
  lastExchange.response = `${res.status} ${res.headers.get('content-type') ?? ''}\n     ${body.slice(0, 2000)}`;
  return res;
}
function headerText(headers) {
  return JSON.stringify(Object.fromEntries(new Headers(headers ?? {}).entries()));
}

// ---- steps
let failures = 0;
async function step(name, fn) {
  lastExchange = undefined;
  try {
    const note = await fn();
    console.log(`ok ${name}${note ? ` (${note})` : ''}`);
    return true;
  } catch (err) {
    failures++;
    console.log(`FAIL ${name}: ${describe(err)}`);
    if (lastExchange) {
      console.log(`  last request:  ${lastExchange.request}`);
      console.log(`  last response: ${lastExchange.response ?? '(none)'}`);
    }
    return false;
  }
}
function describe(err) {
  if (isJsonRpcError(err)) {
    return `JSON-RPC error ${err.envelopeCode} (${err.name}): ${err.message}` + (err.data !== undefined ? ` data=${JSON.stringify(err.data)}` : '');
  }
  if (err instanceof assert.AssertionError) return err.message;
  return `${err?.name ?? 'Error'}: ${err?.message ?? String(err)}${err?.cause ? ` (cause: ${err.cause.message ?? err.cause})` : ''}`;
}
function requires(...values) {
  if (values.some((v) => v === undefined)) throw new Error('skipped: an earlier step it depends on failed');
}

// The SDK's proto-shaped objects want every field present (ts-proto toJSON reads them).
function userMessage(text, extra = {}) {
  return {
    messageId: randomUUID(),
    contextId: '',
    taskId: '',
    role: Role.ROLE_USER,
    parts: [{ content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
    ...extra,
  };
}
function sendRequest(message, configuration = {}) {
  return {
    tenant: '',
    message,
    configuration: { acceptedOutputModes: ['text/plain'], taskPushNotificationConfig: undefined, returnImmediately: false, ...configuration },
    metadata: undefined,
  };
}
const stateName = (s) => TaskState[s] ?? String(s);
function assertTask(result) {
  assert.ok(result && 'status' in result && 'id' in result, `expected a Task, got ${JSON.stringify(result)}`);
  return result;
}
function assertState(task, state) {
  assert.equal(stateName(task.status?.state), stateName(state), `task ${task.id} state`);
}
const partTexts = (parts) => (parts ?? []).filter((p) => p.content?.$case === 'text').map((p) => p.content.value);

/** Awaits `promise`, which must fail with JSON-RPC error `code`; v1.0 errors must also
 *  carry a google.rpc.ErrorInfo with a reason in error.data (spec §3.7). */
async function expectRpcError(promise, code) {
  let result;
  try {
    result = await promise;
  } catch (caught) {
    // An error that arrives as an SSE `event: error` (the SDK server's way for v0.3
    // resubscribe) reaches the caller as a plain Error whose cause is the JSON-RPC error.
    const err = !isJsonRpcError(caught) && isJsonRpcError(caught?.cause) ? caught.cause : caught;
    if (!isJsonRpcError(err)) throw err;
    assert.equal(err.envelopeCode, code, `error code (message: ${err.message})`);
    if (v1) assertErrorInfo(err.data);
    return err;
  }
  assert.fail(`expected JSON-RPC error ${code}, got a result: ${JSON.stringify(result)}`);
}
function assertErrorInfo(data) {
  assert.ok(Array.isArray(data) && data.length > 0, `v1.0 error.data must be a non-empty array, got ${JSON.stringify(data)}`);
  assert.equal(data[0]['@type'], ERROR_INFO_TYPE, 'error.data[0]["@type"]');
  assert.ok(typeof data[0].reason === 'string' && data[0].reason !== '', `error.data[0].reason missing: ${JSON.stringify(data[0])}`);
}

// ---- the client, as an SDK user builds it
// v1.0: the SDK's defaults (DefaultAgentCardResolver, JsonRpcTransportFactory) pick the
//       card's JSONRPC interface with protocolVersion "1.0".
// v0.3: what a peer that only knows v0.3 does: fetch the card without an A2A-Version
//       header, read its v0.3 fields (url/preferredTransport/protocolVersion) with the
//       SDK's own parseLegacyAgentCard, and let the compat-enabled JSON-RPC factory pick
//       LegacyJsonRpcTransport. The SDK's v1.0 resolver would prefer a 1.0 interface
//       whenever the card lists one, so it cannot be used to pin v0.3.
const legacyResolver = {
  async resolve(baseUrl) {
    const res = await recordingFetch(new URL('/.well-known/agent-card.json', baseUrl).href);
    assert.equal(res.status, 200, 'card HTTP status');
    return parseLegacyAgentCard(await res.json());
  },
};
const factory = new ClientFactory(
  ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
    transports: [new JsonRpcTransportFactory({ fetchImpl: recordingFetch, legacyCompat: { enabled: !v1 } })],
    preferredTransports: ['JSONRPC'],
    cardResolver: v1 ? new DefaultAgentCardResolver({ fetchImpl: recordingFetch }) : legacyResolver,
  }),
);

let client, card, endpoint;
// Calls that bypass Client (see the push-config step) must add the version header the
// Client would have added.
const transportOptions = () => ({
  serviceParameters: ServiceParameters.create(withA2AVersion(client.protocolVersion)),
  signal: AbortSignal.timeout(callTimeoutMs),
});
const callOptions = () => ({ signal: AbortSignal.timeout(callTimeoutMs) });

await step('card', async () => {
  client = await factory.createFromUrl(opt.url);
  card = await client.getAgentCard(callOptions());
  assert.equal(card.name, peerName, 'card name');
  assert.equal(client.protocolVersion, opt.version, 'protocol version the SDK chose');
  const iface = card.supportedInterfaces.find((i) => i.protocolBinding === 'JSONRPC' && i.protocolVersion === opt.version)
    ?? card.supportedInterfaces.find((i) => i.protocolBinding === 'JSONRPC');
  assert.ok(iface, `no JSONRPC interface in ${JSON.stringify(card.supportedInterfaces)}`);
  endpoint = iface.url;
  return `${endpoint} via ${client.transport.constructor.name}`;
});
if (!client) {
  console.log('1 step(s) failed: no client, nothing else to run');
  process.exit(1);
}

// 1. Blocking send: returns only once the task is done.
const answerText = `please answer: ${unique}`;
let answered; // the completed task
await step('blocking send', async () => {
  const result = await client.sendMessage(sendRequest(userMessage(answerText)), callOptions());
  const task = assertTask(result);
  assertState(task, TaskState.TASK_STATE_COMPLETED);
  const texts = task.artifacts.flatMap((a) => partTexts(a.parts));
  const expected = selfCheck ? `${peerName} got: ${answerText}` : `answered: ${answerText}`;
  assert.equal(texts.join(''), expected, `artifact text of task ${task.id} (artifacts: ${JSON.stringify(task.artifacts)})`);
  answered = task;
  return task.id;
});

// 2. Non-blocking send: comes back at once with the task still submitted.
const waitText = `please wait: ${unique}`;
const waitMessage = userMessage(waitText);
let waiting;
await step('non-blocking send', async () => {
  const result = await client.sendMessage(sendRequest(waitMessage, { returnImmediately: true }), callOptions());
  const task = assertTask(result);
  assertState(task, TaskState.TASK_STATE_SUBMITTED);
  waiting = task;
  return task.id;
});

await step('get task', async () => {
  requires(waiting);
  const task = await client.getTask({ tenant: '', id: waiting.id }, callOptions());
  assert.equal(task.id, waiting.id, 'task id');
  assertState(task, TaskState.TASK_STATE_SUBMITTED);
  const sent = task.history.find((m) => m.messageId === waitMessage.messageId);
  assert.ok(sent, `history lacks message ${waitMessage.messageId}: ${JSON.stringify(task.history)}`);
  assert.equal(partTexts(sent.parts).join(''), waitText, 'text of the message in history');
  assert.equal(Role[sent.role] ?? sent.role, 'ROLE_USER', 'role of the message in history');
});

await step('get task historyLength 0', async () => {
  requires(waiting);
  const task = await client.getTask({ tenant: '', id: waiting.id, historyLength: 0 }, callOptions());
  assert.equal(task.id, waiting.id, 'task id');
  assert.deepEqual(task.history, [], 'history with historyLength 0');
});

// 3. Cancel and the error codes around it.
await step('cancel', async () => {
  requires(waiting);
  const task = await client.cancelTask({ tenant: '', id: waiting.id, metadata: undefined }, callOptions());
  assert.equal(task.id, waiting.id, 'task id');
  assertState(task, TaskState.TASK_STATE_CANCELED);
});

await step('cancel again', async () => {
  requires(waiting);
  const again = client.cancelTask({ tenant: '', id: waiting.id, metadata: undefined }, callOptions());
  if (selfCheck) {
    // The SDK server treats a repeated cancel as a no-op and returns the canceled task.
    const task = await again;
    assertState(task, TaskState.TASK_STATE_CANCELED);
    return 'sdk server: idempotent, returned the canceled task';
  }
  await expectRpcError(again, A2A_ERROR_CODE.TASK_NOT_CANCELABLE);
});

await step('cancel completed task', async () => {
  requires(answered);
  await expectRpcError(client.cancelTask({ tenant: '', id: answered.id, metadata: undefined }, callOptions()), A2A_ERROR_CODE.TASK_NOT_CANCELABLE);
});

await step('get unknown task', async () => {
  await expectRpcError(client.getTask({ tenant: '', id: `no-such-task-${randomUUID()}` }, callOptions()), A2A_ERROR_CODE.TASK_NOT_FOUND);
});

await step('send to completed task', async () => {
  requires(answered);
  const message = userMessage(`more for a finished task: ${unique}`, { taskId: answered.id, contextId: answered.contextId });
  await expectRpcError(client.sendMessage(sendRequest(message), callOptions()), A2A_ERROR_CODE.UNSUPPORTED_OPERATION);
});

await step('send to unknown task', async () => {
  const message = userMessage(`for nobody: ${unique}`, { taskId: randomUUID() });
  await expectRpcError(client.sendMessage(sendRequest(message), callOptions()), A2A_ERROR_CODE.TASK_NOT_FOUND);
});

// 4. ListTasks exists in v1.0 only (v0.3 had no JSON-RPC tasks/list).
if (v1) {
  const listRequest = (extra = {}) => ({ tenant: '', contextId: '', status: TaskState.TASK_STATE_UNSPECIFIED, pageToken: '', statusTimestampAfter: undefined, ...extra });
  const ids = (r) => r.tasks.map((t) => t.id);

  await step('list tasks', async () => {
    requires(answered, waiting);
    const all = await client.listTasks(listRequest(), callOptions());
    const order = ids(all);
    // The canceled task's status changed last, so it is the newest.
    assert.ok(order.includes(answered.id) && order.includes(waiting.id), `both tasks listed: ${JSON.stringify(order)}`);
    assert.ok(order.indexOf(waiting.id) < order.indexOf(answered.id), `newest first: ${JSON.stringify(order)}`);
    return `${order.length} task(s), totalSize ${all.totalSize}`;
  });

  await step('list tasks by contextId', async () => {
    requires(answered);
    const only = await client.listTasks(listRequest({ contextId: answered.contextId }), callOptions());
    assert.deepEqual(ids(only), [answered.id], `tasks in context ${answered.contextId}`);
  });

  await step('list tasks paged', async () => {
    requires(answered, waiting);
    const all = ids(await client.listTasks(listRequest(), callOptions()));
    const first = await client.listTasks(listRequest({ pageSize: 1 }), callOptions());
    assert.deepEqual(ids(first), all.slice(0, 1), 'first page');
    assert.ok(first.nextPageToken, `nextPageToken on the first page: ${JSON.stringify(first.nextPageToken)}`);
    const second = await client.listTasks(listRequest({ pageSize: 1, pageToken: first.nextPageToken }), callOptions());
    assert.deepEqual(ids(second), all.slice(1, 2), 'second page');
  });
}

// 4b. Files and data (a2a-wire.md §5.3): a file part holding every byte value and a
// non-object data part (wrapped as {value} with data_part_compat on the v0.3 wire) reach
// the server intact and come back in the task's history; the scripted agent answers
// "please attach" with a file of its own, which must arrive byte for byte.
const fileBytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff));
const answerBytes = Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 11 + 3) & 0xff));
const dataValue = ['one', 2, { three: [3] }];
await step('send file and data parts', async () => {
  const message = userMessage(`please answer, please attach: ${unique}`);
  message.parts.push(
    { content: { $case: 'raw', value: fileBytes }, metadata: undefined, filename: 'sdk file.bin', mediaType: 'application/octet-stream' },
    { content: { $case: 'data', value: dataValue }, metadata: undefined, filename: '', mediaType: '' },
  );
  const task = assertTask(await client.sendMessage(sendRequest(message), callOptions()));
  assertState(task, TaskState.TASK_STATE_COMPLETED);
  const got = await client.getTask({ tenant: '', id: task.id }, callOptions());
  const sent = got.history.find((m) => m.messageId === message.messageId);
  assert.ok(sent, `history lacks message ${message.messageId}: ${JSON.stringify(got.history)}`);
  const raw = sent.parts.find((p) => p.content?.$case === 'raw');
  assert.ok(raw, `no file part in the history's message: ${JSON.stringify(sent.parts)}`);
  assert.ok(Buffer.from(raw.content.value).equals(fileBytes), 'file bytes in history');
  assert.equal(raw.filename, 'sdk file.bin', 'file name in history');
  assert.equal(raw.mediaType, 'application/octet-stream', 'media type in history');
  const data = sent.parts.find((p) => p.content?.$case === 'data');
  assert.deepEqual(data?.content?.value, dataValue, 'data value in history');
  if (selfCheck) return 'sdk server: its answer is not the scripted one';
  const files = task.artifacts.flatMap((a) => a.parts).filter((p) => p.content?.$case === 'raw');
  assert.equal(files.length, 1, `one file in the answer: ${JSON.stringify(task.artifacts)}`);
  assert.equal(files[0].filename, 'answer.bin', 'answer file name');
  assert.ok(Buffer.from(files[0].content.value).equals(answerBytes), 'answer file bytes');
  return task.id;
});

// 5. Push notifications. The card claims them; a config set on the finished task makes
// the server post that task to our webhook at once, with our token. Through the
// client's transport, as the SDK's Client only offers these calls on some versions.
await step('push config and delivery', async () => {
  assert.ok(card.capabilities?.pushNotifications, 'card must claim pushNotifications');
  requires(answered, 'a completed task');
  const token = `tok-${unique}`;
  // Our webhook listens where our calls come from (loopback connections leave from
  // 127.0.0.1): a Constellation server posts only to the agent that registered it.
  const hookHost = '127.0.0.1';
  const received = new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(200).end();
        server.close();
        resolve({ headers: req.headers, body });
      });
    });
    server.on('error', reject);
    server.listen(0, hookHost, () => {
      hook.url = `http://${hookHost}:${server.address().port}/hook`;
      hook.ready();
    });
    setTimeout(() => { server.close(); reject(new Error('no delivery within 10 s')); }, 10000).unref();
  });
  const hook = {};
  await new Promise((r) => (hook.ready = r));
  const config = { tenant: '', id: '', taskId: answered.id, url: hook.url, token, authentication: undefined };
  const made = await client.transport.createTaskPushNotificationConfig(config, transportOptions());
  assert.equal(made.taskId, answered.id, 'taskId of the stored config');
  assert.equal(made.url, hook.url, 'url of the stored config');
  const got = await received;
  assert.equal(got.headers['x-a2a-notification-token'], token, 'token header');
  const posted = JSON.parse(got.body);
  const task = v1 ? posted.task : posted;
  assert.equal(task?.id, answered.id, `posted task id in ${got.body.slice(0, 300)}`);
  assert.equal(task.status.state, v1 ? 'TASK_STATE_COMPLETED' : 'completed', 'posted state');
  return `delivered to ${hook.url}`;
});

await step(v1 ? 'GetExtendedAgentCard unsupported' : 'agent/getAuthenticatedExtendedCard unsupported', async () => {
  assert.ok(!card.capabilities?.extendedAgentCard, 'card must not claim an extended card');
  await expectRpcError(client.transport.getExtendedAgentCard({ tenant: '' }, transportOptions()), A2A_ERROR_CODE.UNSUPPORTED_OPERATION);
});

// 6. Streaming: sendMessageStream and resubscribeTask through the SDK's own SSE reader.
const caseOf = (event) => event?.payload?.$case;
async function collect(stream) {
  const events = [];
  for await (const event of stream) events.push(event);
  return events;
}

await step('streaming send', async () => {
  assert.ok(card.capabilities?.streaming, 'card must claim streaming');
  const text = `please answer: streamed ${unique}`;
  const events = await collect(client.sendMessageStream(sendRequest(userMessage(text)), callOptions()));
  const cases = events.map(caseOf);
  assert.equal(cases[0], 'task', `first event: ${JSON.stringify(events[0])}`);
  assert.equal(cases.at(-1), 'statusUpdate', `last event is a status update: ${cases.join(', ')}`);
  assertState(events.at(-1).payload.value, TaskState.TASK_STATE_COMPLETED);
  const texts = events.filter((e) => caseOf(e) === 'artifactUpdate').flatMap((e) => partTexts(e.payload.value.artifact.parts));
  const expected = selfCheck ? `${peerName} got: ${text}` : `answered: ${text}`;
  assert.equal(texts.join(''), expected, 'artifact text streamed');
  const ids = new Set(events.map((e) => (caseOf(e) === 'task' ? e.payload.value.id : e.payload.value.taskId)));
  assert.equal(ids.size, 1, `every event is about one task: ${[...ids]}`);
  return cases.join(', ');
});

await step('resubscribe until canceled', async () => {
  const sent = assertTask(
    await client.sendMessage(sendRequest(userMessage(`please cancel me: ${unique}`), { returnImmediately: true }), callOptions()),
  );
  const events = [];
  let canceled;
  for await (const event of client.resubscribeTask({ tenant: '', id: sent.id }, callOptions())) {
    events.push(event);
    // Cancel once the stream is open, so the cancellation has to arrive through it.
    canceled ??= await client.cancelTask({ tenant: '', id: sent.id, metadata: undefined }, callOptions());
  }
  const cases = events.map(caseOf);
  assert.equal(cases[0], 'task', `first event: ${JSON.stringify(events[0])}`);
  assert.equal(events[0].payload.value.id, sent.id, 'first event is the task subscribed to');
  assertState(events.at(-1).payload.value, TaskState.TASK_STATE_CANCELED);
  return cases.join(', ');
});

await step('resubscribe unknown task', async () => {
  await expectRpcError(collect(client.resubscribeTask({ tenant: '', id: `no-such-task-${randomUUID()}` }, callOptions())), A2A_ERROR_CODE.TASK_NOT_FOUND);
});

await step('resubscribe finished task', async () => {
  requires(answered);
  await expectRpcError(collect(client.resubscribeTask({ tenant: '', id: answered.id }, callOptions())), A2A_ERROR_CODE.UNSUPPORTED_OPERATION);
});

// 7. Raw HTTP, outside the SDK: what the SDK client never sends.
async function rawPost(headers, body) {
  const res = await recordingFetch(endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(callTimeoutMs) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    assert.fail(`HTTP ${res.status}, body is not JSON: ${text.slice(0, 500)}`);
  }
  return { status: res.status, json };
}
const rawBody = JSON.stringify(
  v1
    ? { jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: answered?.id ?? 'x' } }
    : { jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { id: answered?.id ?? 'x' } },
);
function assertRawError(reply, code) {
  assert.equal(reply.status, 200, 'HTTP status');
  assert.equal(reply.json?.jsonrpc, '2.0', 'jsonrpc');
  assert.equal(reply.json?.error?.code, code, `error code in ${JSON.stringify(reply.json)}`);
  if (v1) assertErrorInfo(reply.json.error.data);
}

await step('raw A2A-Version 2.0', async () => {
  requires(endpoint);
  assertRawError(await rawPost({ 'Content-Type': 'application/json', 'A2A-Version': '2.0' }, rawBody), A2A_ERROR_CODE.VERSION_NOT_SUPPORTED);
});

await step('raw Content-Type text/plain', async () => {
  requires(endpoint);
  assertRawError(await rawPost({ 'Content-Type': 'text/plain', 'A2A-Version': opt.version }, rawBody), A2A_ERROR_CODE.CONTENT_TYPE_NOT_SUPPORTED);
});

if (failures > 0) {
  console.log(`${failures} step(s) failed`);
  process.exit(1);
}
console.log('all steps passed');
