// A handler that does nothing: the benchmarks measure Fogbank, not this.
exports.handler = async () => ({});
