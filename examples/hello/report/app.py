"""Reports the word counts WordCountFunction queued, one log line per file."""
import json
import logging

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def lambda_handler(event, context):
    for record in event["Records"]:
        count = json.loads(record["body"])
        top = ", ".join(f"{word} ×{n}" for word, n in count["top"])
        logger.info("s3://%s/%s: %d words (%s)", count["bucket"], count["key"], count["words"], top)
    return {"reported": len(event["Records"])}
