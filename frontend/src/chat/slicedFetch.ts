/**
 * `fetch` for the stream hook: an event stream's large reads reach the SDK in slices, one per
 * task. When the page is busy for a moment, the network buffers 100 kB and more of token events
 * (about 250 bytes each). The SDK parses and projects a whole read in one task, and each token
 * copies the message so far, so one read blocked input and paint for over 100 ms. Reads up to
 * `SLICE_BYTES` pass through untouched, so nothing waits while the page keeps up.
 */
export const SLICE_BYTES = 16 * 1024;

export async function slicedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const type = response.headers.get("content-type") ?? "";
  if (!response.body || !type.startsWith("text/event-stream")) return response;
  return new Response(inSlices(response.body, SLICE_BYTES), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** The same bytes, no read longer than `size`; the rest of a long read follows a task later. */
export function inSlices(body: ReadableStream<Uint8Array>, size: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let rest: Uint8Array | null = null;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (rest) {
          await nextTask();
        } else {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            return;
          }
          rest = value;
        }
        controller.enqueue(rest.subarray(0, size));
        rest = rest.byteLength > size ? rest.subarray(size) : null;
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/** A task boundary: the browser may handle input, render and paint before the next slice. A
 * message is used rather than setTimeout, which waits at least 4 ms once timers nest. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
