# What a report handler does: boto3 and a client at load (the module-load part of its cold start),
# then a fixed amount of CPU per event (what the memory size's CPU share speeds up).
import boto3

s3 = boto3.client("s3", region_name="us-east-1")


def handler(event, context):
    total = 0
    for i in range(int(event.get("n", 300000))):
        total += i * i % 7
    return {"total": total}
