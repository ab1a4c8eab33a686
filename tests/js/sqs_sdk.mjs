// What a JavaScript user does with SQS through the AWS SDK for JavaScript v3 (the JSON protocol),
// against Fogbank's edge port: standard and FIFO queues, sends with attributes (the SDK checks
// the body MD5s the service returns and fails on a mismatch), batches, long polls, visibility, FIFO
// deduplication, queue attributes and the error names. Run by tests/test_js_sdks.cpp:
//   node sqs_sdk.mjs http://127.0.0.1:PORT
// Exits non-zero, with the failed assertion on stderr, when anything is wrong.
import assert from 'node:assert/strict';

import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';

const endpoint = process.argv[2];
assert.ok(endpoint, 'usage: node sqs_sdk.mjs http://127.0.0.1:PORT');

const sqs = new SQSClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

async function step(name, body) {
  try {
    await body();
    console.log(`ok ${name}`);
  } catch (err) {
    err.message = `${name}: ${err.message}`;
    throw err;
  }
}

async function counts(QueueUrl) {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({
    QueueUrl,
    AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
  }));
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
  };
}

// Receives until `count` messages came or `seconds` of long polls found no more.
async function receiveAll(QueueUrl, count, extra = {}) {
  const got = [];
  for (let empty = 0; got.length < count && empty < 2;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({
      QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2, ...extra,
    }));
    empty = Messages.length ? 0 : empty + 1;
    got.push(...Messages);
  }
  return got;
}

let plain;
let fifo;

await step('create a standard and a FIFO queue', async () => {
  ({ QueueUrl: plain } = await sqs.send(new CreateQueueCommand({
    QueueName: 'js-sdk-plain', Attributes: { VisibilityTimeout: '30' },
  })));
  ({ QueueUrl: fifo } = await sqs.send(new CreateQueueCommand({
    QueueName: 'js-sdk-orders.fifo',
    Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
  })));
  assert.match(plain, /\/js-sdk-plain$/);
  assert.match(fifo, /\/js-sdk-orders\.fifo$/);
  const { QueueUrls } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'js-sdk-' }));
  assert.deepEqual([...QueueUrls].sort(), [fifo, plain].sort());
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'js-sdk-plain' }));
  assert.equal(QueueUrl, plain);
  // The template's queue (tests/fixtures/js_sdks) is there too, as any other.
  const listed = await sqs.send(new ListQueuesCommand({}));
  assert.ok(listed.QueueUrls.some((u) => u.endsWith('/template-seed')),
    JSON.stringify(listed.QueueUrls));
});

await step('send with attributes; the SDK verifies the body MD5s', async () => {
  const sent = await sqs.send(new SendMessageCommand({
    QueueUrl: plain, MessageBody: 'héllo wörld ✓',
    MessageAttributes: {
      colour: { DataType: 'String', StringValue: 'blue' },
      size: { DataType: 'Number', StringValue: '42' },
      blob: { DataType: 'Binary', BinaryValue: Uint8Array.from([0, 1, 255]) },
      'kind.custom': { DataType: 'String.custom', StringValue: 'x' },
    },
  }));
  assert.match(sent.MessageId, /^[0-9a-f-]{36}$/);
  assert.match(sent.MD5OfMessageBody, /^[0-9a-f]{32}$/);
  assert.match(sent.MD5OfMessageAttributes, /^[0-9a-f]{32}$/);

  const { Messages } = await sqs.send(new ReceiveMessageCommand({
    QueueUrl: plain, MaxNumberOfMessages: 1, WaitTimeSeconds: 5,
    MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'],
  }));
  assert.equal(Messages.length, 1);
  const [m] = Messages;
  assert.equal(m.MessageId, sent.MessageId);
  assert.equal(m.Body, 'héllo wörld ✓');
  assert.equal(m.MD5OfBody, sent.MD5OfMessageBody);
  assert.equal(m.MessageAttributes.colour.StringValue, 'blue');
  assert.equal(m.MessageAttributes.size.DataType, 'Number');
  assert.deepEqual([...m.MessageAttributes.blob.BinaryValue], [0, 1, 255]);
  assert.equal(m.MessageAttributes['kind.custom'].DataType, 'String.custom');
  assert.equal(m.Attributes.ApproximateReceiveCount, '1');
  assert.ok(Number(m.Attributes.SentTimestamp) > 1.7e12, m.Attributes.SentTimestamp);
  await sqs.send(new DeleteMessageBatchCommand({
    QueueUrl: plain, Entries: [{ Id: 'only', ReceiptHandle: m.ReceiptHandle }],
  }));
});

await step('batch send, receive, change visibility, batch delete', async () => {
  const sent = await sqs.send(new SendMessageBatchCommand({
    QueueUrl: plain,
    Entries: Array.from({ length: 10 }, (_, i) => ({
      Id: `e${i}`, MessageBody: `batch-${i}`,
      MessageAttributes: { index: { DataType: 'Number', StringValue: String(i) } },
    })),
  }));
  assert.equal(sent.Successful.length, 10);
  assert.ok(!sent.Failed || sent.Failed.length === 0, JSON.stringify(sent.Failed));

  const got = await receiveAll(plain, 10, { MessageAttributeNames: ['index'] });
  assert.deepEqual(got.map((m) => m.Body).sort(),
    Array.from({ length: 10 }, (_, i) => `batch-${i}`).sort());
  for (const m of got)
    assert.equal(m.MessageAttributes.index.StringValue, m.Body.slice('batch-'.length));
  assert.deepEqual(await counts(plain), { visible: 0, inFlight: 10 });

  // Visibility 0 puts one back at once; it comes again with a grown receive count.
  await sqs.send(new ChangeMessageVisibilityCommand({
    QueueUrl: plain, ReceiptHandle: got[0].ReceiptHandle, VisibilityTimeout: 0,
  }));
  const again = await receiveAll(plain, 1, { MessageSystemAttributeNames: ['All'] });
  assert.equal(again.length, 1);
  assert.equal(again[0].MessageId, got[0].MessageId);
  assert.equal(again[0].Attributes.ApproximateReceiveCount, '2');

  const handles = [again[0], ...got.slice(1)].map((m, i) => ({
    Id: `d${i}`, ReceiptHandle: m.ReceiptHandle,
  }));
  // At most ten entries a batch: nine good handles and a bad one, then the last.
  const deleted = await sqs.send(new DeleteMessageBatchCommand({
    QueueUrl: plain,
    Entries: [...handles.slice(0, 9), { Id: 'bad', ReceiptHandle: 'not-a-handle' }],
  }));
  assert.equal(deleted.Successful.length, 9);
  assert.equal(deleted.Failed.length, 1);
  assert.equal(deleted.Failed[0].Id, 'bad');
  assert.equal(deleted.Failed[0].SenderFault, true);
  const last = await sqs.send(new DeleteMessageBatchCommand({
    QueueUrl: plain, Entries: handles.slice(9),
  }));
  assert.deepEqual(last.Successful.map((e) => e.Id), ['d9']);
  assert.deepEqual(await counts(plain), { visible: 0, inFlight: 0 });
});

await step('a waiting long poll gets a message sent while it waits', async () => {
  const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl: plain, WaitTimeSeconds: 20 }));
  await new Promise((resolve) => setTimeout(resolve, 500));
  await sqs.send(new SendMessageCommand({ QueueUrl: plain, MessageBody: 'wake up' }));
  const { Messages } = await waiting;
  assert.deepEqual(Messages.map((m) => m.Body), ['wake up']);
  await sqs.send(new DeleteMessageBatchCommand({
    QueueUrl: plain, Entries: [{ Id: 'w', ReceiptHandle: Messages[0].ReceiptHandle }],
  }));
});

await step('FIFO: content-based and explicit deduplication, order within a group', async () => {
  const first = await sqs.send(new SendMessageCommand({
    QueueUrl: fifo, MessageBody: 'order-1', MessageGroupId: 'g1',
  }));
  const duplicate = await sqs.send(new SendMessageCommand({
    QueueUrl: fifo, MessageBody: 'order-1', MessageGroupId: 'g1',
  }));
  assert.equal(duplicate.MessageId, first.MessageId);
  assert.match(first.SequenceNumber, /^\d+$/);
  const x1 = await sqs.send(new SendMessageCommand({
    QueueUrl: fifo, MessageBody: 'order-2', MessageGroupId: 'g1', MessageDeduplicationId: 'same',
  }));
  const x2 = await sqs.send(new SendMessageCommand({
    QueueUrl: fifo, MessageBody: 'order-2-again', MessageGroupId: 'g1',
    MessageDeduplicationId: 'same',
  }));
  assert.equal(x2.MessageId, x1.MessageId);
  await sqs.send(new SendMessageBatchCommand({
    QueueUrl: fifo, Entries: [3, 4, 5].map((i) => ({
      Id: `o${i}`, MessageBody: `order-${i}`, MessageGroupId: 'g1',
    })),
  }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({
    QueueUrl: fifo, AttributeNames: ['All'],
  }));
  assert.equal(Attributes.ApproximateNumberOfMessages, '5');
  assert.equal(Attributes.FifoQueue, 'true');
  assert.equal(Attributes.ContentBasedDeduplication, 'true');
  assert.match(Attributes.QueueArn, /^arn:aws:sqs:us-east-1:\d{12}:js-sdk-orders\.fifo$/);

  const { Messages } = await sqs.send(new ReceiveMessageCommand({
    QueueUrl: fifo, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'],
  }));
  assert.deepEqual(Messages.map((m) => m.Body),
    ['order-1', 'order-2', 'order-3', 'order-4', 'order-5']);
  assert.ok(Messages.every((m) => m.Attributes.MessageGroupId === 'g1'));
  // The group is in flight: nothing more until it is deleted.
  const blocked = await sqs.send(new ReceiveMessageCommand({ QueueUrl: fifo }));
  assert.equal(blocked.Messages?.length ?? 0, 0);
  const deleted = await sqs.send(new DeleteMessageBatchCommand({
    QueueUrl: fifo, Entries: Messages.map((m, i) => ({ Id: `f${i}`, ReceiptHandle: m.ReceiptHandle })),
  }));
  assert.equal(deleted.Successful.length, 5);
});

await step('a FIFO send without a group is refused', async () => {
  await assert.rejects(
    sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'no group' })),
    (err) => {
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.ok(['MissingParameter', 'InvalidParameterValue'].includes(err.name), err.name);
      return true;
    });
});

await step('a queue that does not exist is QueueDoesNotExist', async () => {
  await assert.rejects(
    sqs.send(new GetQueueUrlCommand({ QueueName: 'js-sdk-absent' })),
    (err) => {
      assert.equal(err.name, 'QueueDoesNotExist');
      assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    });
  await sqs.send(new DeleteQueueCommand({ QueueUrl: plain }));
  await assert.rejects(
    sqs.send(new SendMessageCommand({ QueueUrl: plain, MessageBody: 'gone' })),
    (err) => err.name === 'QueueDoesNotExist');
  await sqs.send(new DeleteQueueCommand({ QueueUrl: fifo }));
});

console.log('sqs_sdk: all steps passed');
