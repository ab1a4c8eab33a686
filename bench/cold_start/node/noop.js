'use strict';
exports.handler = async () => 'ok';
