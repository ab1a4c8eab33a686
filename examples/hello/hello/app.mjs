// Greets whoever the event names: from an HTTP API path parameter, or a plain {"name": ...}.
const greeting = process.env.GREETING ?? 'Hello';

export const handler = async (event, context) => {
  const name = event?.pathParameters?.name ?? event?.name ?? 'world';
  console.log(`greeting ${name} in ${process.env.STAGE}`);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      message: `${greeting}, ${name}!`,
      requestId: context.awsRequestId,
      remainingMs: context.getRemainingTimeInMillis(),
    }),
  };
};
