'use strict';
// An SDK at load, as most handlers have: the JS SDK v3's S3 client when it is installed (the
// repo's tests/js has it), else Node's own https stack.
let client = 'none';
try {
  const { S3Client } = require('../../../tests/js/node_modules/@aws-sdk/client-s3');
  client = new S3Client({ region: 'us-east-1' }) && 's3';
} catch (e) {
  require('https');
  client = 'https';
}
exports.handler = async () => client;
