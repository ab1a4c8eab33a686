# boto3 and an S3 client at load, as most Python handlers have.
import boto3

s3 = boto3.client("s3", region_name="us-east-1")


def handler(event, context):
    return "ok"
