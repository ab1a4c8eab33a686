// What a JavaScript user does with S3 through the AWS SDK for JavaScript v3, against Fogbank's
// edge port: buckets, checksummed puts (the SDK's default CRC32 and an explicit SHA256), ranged
// and checksum-validated gets, metadata, copies, paginated listings, batch deletes, the
// lib-storage `Upload` helper over several parts, a presigned GET fetched with fetch(), and the
// error shapes the SDK turns into exceptions. Run by tests/test_js_sdks.cpp:
//   node s3_sdk.mjs http://127.0.0.1:PORT
// Exits non-zero, with the failed assertion on stderr, when anything is wrong.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

const endpoint = process.argv[2];
assert.ok(endpoint, 'usage: node s3_sdk.mjs http://127.0.0.1:PORT');

const s3 = new S3Client({
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

const bucket = 'js-sdk-bucket';
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('base64');

async function step(name, body) {
  try {
    await body();
    console.log(`ok ${name}`);
  } catch (err) {
    err.message = `${name}: ${err.message}`;
    throw err;
  }
}

// Every byte value, repeated, so that nothing in between may treat the body as text.
function pattern(size, seed) {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; ++i) bytes[i] = (i * 31 + seed + (i >> 12)) & 0xff;
  return bytes;
}

await step('buckets: create and list', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const { Buckets } = await s3.send(new ListBucketsCommand({}));
  assert.ok(Buckets.some((b) => b.Name === bucket), JSON.stringify(Buckets));
});

await step('put with the default checksum, get it back validated', async () => {
  const body = 'hello from the JavaScript SDK\n';
  const put = await s3.send(new PutObjectCommand({
    Bucket: bucket, Key: 'docs/hello.txt', Body: body, ContentType: 'text/plain',
    Metadata: { owner: 'fogbank', purpose: 'js-sdk' },
  }));
  assert.match(put.ETag, /^"[0-9a-f]{32}"$/);
  // The SDK computed a CRC32 by default and sent it; S3 echoes what it verified.
  assert.ok(put.ChecksumCRC32, `no CRC32 echoed on PutObject: ${JSON.stringify(put)}`);
  const got = await s3.send(new GetObjectCommand({
    Bucket: bucket, Key: 'docs/hello.txt', ChecksumMode: 'ENABLED',
  }));
  assert.equal(await got.Body.transformToString(), body);
  assert.equal(got.ChecksumCRC32, put.ChecksumCRC32);
  assert.equal(got.ContentType, 'text/plain');
});

await step('put with an explicit SHA256 checksum', async () => {
  const body = pattern(70_000, 7);
  const put = await s3.send(new PutObjectCommand({
    Bucket: bucket, Key: 'docs/bytes.bin', Body: body, ChecksumAlgorithm: 'SHA256',
  }));
  assert.equal(put.ChecksumSHA256, sha256(body));
  const got = await s3.send(new GetObjectCommand({
    Bucket: bucket, Key: 'docs/bytes.bin', ChecksumMode: 'ENABLED',
  }));
  assert.equal(got.ChecksumSHA256, sha256(body));
  assert.ok(Buffer.from(await got.Body.transformToByteArray()).equals(body));
});

await step('a checksum that does not match the body is refused', async () => {
  await assert.rejects(
    s3.send(new PutObjectCommand({
      Bucket: bucket, Key: 'docs/wrong.bin', Body: 'actual bytes',
      ChecksumSHA256: sha256(Buffer.from('other bytes')),
    })),
    (err) => {
      assert.equal(err.name, 'BadDigest');
      assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    });
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'docs/wrong.bin' })),
    (err) => err.name === 'NotFound');
});

await step('get a range with checksum validation on', async () => {
  const got = await s3.send(new GetObjectCommand({
    Bucket: bucket, Key: 'docs/bytes.bin', Range: 'bytes=100-1123', ChecksumMode: 'ENABLED',
  }));
  assert.equal(got.$metadata.httpStatusCode, 206);
  // The stored checksum is of the whole object; S3 leaves it off a range, or the SDK would
  // reject the range as corrupt.
  assert.equal(got.ChecksumSHA256, undefined);
  assert.equal(got.ContentRange, 'bytes 100-1123/70000');
  assert.equal(got.ContentLength, 1024);
  const bytes = Buffer.from(await got.Body.transformToByteArray());
  assert.ok(bytes.equals(pattern(70_000, 7).subarray(100, 1124)));
});

await step('head returns the metadata', async () => {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'docs/hello.txt' }));
  assert.deepEqual(head.Metadata, { owner: 'fogbank', purpose: 'js-sdk' });
  assert.equal(head.ContentLength, 30);
  assert.ok(head.LastModified instanceof Date && !Number.isNaN(head.LastModified.getTime()));
});

await step('copy an object', async () => {
  const copy = await s3.send(new CopyObjectCommand({
    Bucket: bucket, Key: 'copies/hello.txt', CopySource: `${bucket}/docs/hello.txt`,
  }));
  assert.match(copy.CopyObjectResult.ETag, /^"[0-9a-f]{32}"$/);
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copies/hello.txt' }));
  assert.equal(await got.Body.transformToString(), 'hello from the JavaScript SDK\n');
  assert.equal(got.Metadata.owner, 'fogbank');
});

await step('list with prefix, delimiter and pagination', async () => {
  for (let i = 0; i < 23; ++i)
    await s3.send(new PutObjectCommand({
      Bucket: bucket, Key: `many/${String(i).padStart(2, '0')}.txt`, Body: `item ${i}`,
    }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'many/sub/deep.txt', Body: 'd' }));

  const top = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
  assert.deepEqual(top.CommonPrefixes.map((p) => p.Prefix).sort(),
    ['copies/', 'docs/', 'many/']);
  assert.equal(top.KeyCount, 3);

  const keys = [];
  let pages = 0;
  for await (const page of paginateListObjectsV2(
    { client: s3, pageSize: 5 }, { Bucket: bucket, Prefix: 'many/', Delimiter: '/' })) {
    ++pages;
    keys.push(...(page.Contents ?? []).map((o) => o.Key));
    for (const p of page.CommonPrefixes ?? []) keys.push(p.Prefix);
  }
  assert.equal(pages, 5);
  assert.equal(keys.length, 24);
  assert.ok(keys.includes('many/sub/'));
  assert.ok(!keys.includes('many/sub/deep.txt'));
  assert.deepEqual(keys.filter((k) => k.endsWith('.txt')),
    Array.from({ length: 23 }, (_, i) => `many/${String(i).padStart(2, '0')}.txt`));
});

await step('delete several objects at once', async () => {
  const keys = Array.from({ length: 23 }, (_, i) => `many/${String(i).padStart(2, '0')}.txt`);
  const deleted = await s3.send(new DeleteObjectsCommand({
    Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) },
  }));
  assert.equal(deleted.Deleted.length, 23);
  assert.ok(!deleted.Errors || deleted.Errors.length === 0, JSON.stringify(deleted.Errors));
  const rest = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'many/' }));
  assert.deepEqual(rest.Contents.map((o) => o.Key), ['many/sub/deep.txt']);
});

await step('the Upload helper sends 12 MiB in 5 MiB parts', async () => {
  const body = pattern(12 * 1024 * 1024, 3);
  const parts = [];
  const upload = new Upload({
    client: s3, params: { Bucket: bucket, Key: 'big/twelve.bin', Body: body },
    partSize: 5 * 1024 * 1024, queueSize: 2,
  });
  upload.on('httpUploadProgress', (p) => parts.push(p.part));
  const done = await upload.done();
  assert.equal(done.Key, 'big/twelve.bin');
  // A multipart ETag: the MD5 of the parts' MD5s, dash, the part count.
  assert.match(done.ETag, /^"[0-9a-f]{32}-3"$/);
  assert.deepEqual([...new Set(parts)].sort(), [1, 2, 3]);
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big/twelve.bin' }));
  assert.equal(head.ContentLength, body.length);
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big/twelve.bin' }));
  const back = Buffer.from(await got.Body.transformToByteArray());
  assert.equal(back.length, body.length);
  assert.ok(back.equals(body), 'the multipart object differs from what was uploaded');
});

await step('a presigned GET works with plain fetch()', async () => {
  const url = await getSignedUrl(s3,
    new GetObjectCommand({ Bucket: bucket, Key: 'docs/hello.txt' }), { expiresIn: 300 });
  assert.match(url, /X-Amz-Signature=/);
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'hello from the JavaScript SDK\n');
});

await step('a missing key is NoSuchKey with a 404', async () => {
  await assert.rejects(
    s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'docs/absent.txt' })),
    (err) => {
      assert.equal(err.name, 'NoSuchKey');
      assert.equal(err.$metadata.httpStatusCode, 404);
      return true;
    });
  await assert.rejects(
    s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'docs/absent.txt' })),
    (err) => {
      assert.equal(err.name, 'NotFound');
      assert.equal(err.$metadata.httpStatusCode, 404);
      return true;
    });
  await assert.rejects(
    s3.send(new ListObjectsV2Command({ Bucket: 'js-sdk-no-such-bucket' })),
    (err) => {
      assert.equal(err.name, 'NoSuchBucket');
      assert.equal(err.$metadata.httpStatusCode, 404);
      return true;
    });
});

await step('a bucket that is not empty cannot be deleted; an empty one can', async () => {
  await assert.rejects(s3.send(new DeleteBucketCommand({ Bucket: bucket })), (err) => {
    assert.equal(err.name, 'BucketNotEmpty');
    assert.equal(err.$metadata.httpStatusCode, 409);
    return true;
  });
  const all = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket }))
    all.push(...(page.Contents ?? []).map((o) => ({ Key: o.Key })));
  await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: all } }));
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  const { Buckets } = await s3.send(new ListBucketsCommand({}));
  assert.ok(!(Buckets ?? []).some((b) => b.Name === bucket));
});

console.log('s3_sdk: all steps passed');
