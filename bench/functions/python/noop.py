# A handler that does nothing: the benchmarks measure Fogbank, not this.


def lambda_handler(event, context):
    return {}
