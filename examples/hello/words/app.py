"""Counts the words of event["text"], or of the .txt files an S3 notification names, and reports
the most common ones. Counts of uploaded files are queued for ReportFunction."""
import collections
import json
import logging
import os
import re
import urllib.parse

logger = logging.getLogger()
logger.setLevel(logging.INFO)

_clients = {}


def client(service):
    # Debian's botocore (1.29) predates AWS_ENDPOINT_URL, so the endpoint Fogbank sets is passed
    # explicitly; newer SDKs would pick it up themselves.
    if service not in _clients:
        import boto3

        _clients[service] = boto3.client(service, endpoint_url=os.environ.get("AWS_ENDPOINT_URL"))
    return _clients[service]


def count(text):
    words = re.findall(r"[\w']+", text.lower())
    return len(words), collections.Counter(words).most_common(3)


def lambda_handler(event, context):
    if "Records" not in event:
        total, common = count(event.get("text", ""))
        logger.info("counted %d words", total)
        return {
            "words": total,
            "top": [{"word": w, "count": c} for w, c in common],
            "helloFunction": os.environ.get("HELLO_FUNCTION"),
            "requestId": context.aws_request_id,
        }

    results = []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        body = client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
        total, common = count(body.decode("utf-8", errors="replace"))
        logger.info("s3://%s/%s has %d words", bucket, key, total)
        result = {"bucket": bucket, "key": key, "words": total, "top": common}
        client("sqs").send_message(QueueUrl=os.environ["COUNTS_QUEUE"], MessageBody=json.dumps(result))
        results.append(result)
    return {"counted": results}
