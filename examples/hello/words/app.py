"""Counts the words of event["text"] and reports the most common ones."""
import collections
import logging
import os
import re

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def lambda_handler(event, context):
    text = event.get("text", "")
    words = re.findall(r"[\w']+", text.lower())
    common = collections.Counter(words).most_common(3)
    logger.info("counted %d words", len(words))
    return {
        "words": len(words),
        "top": [{"word": w, "count": c} for w, c in common],
        "helloFunction": os.environ.get("HELLO_FUNCTION"),
        "requestId": context.aws_request_id,
    }
