/**
 * Settings fetched on first use (SSM parameters, the discovery document) are fetched once per container. A
 * failure is forgotten, so the next request retries instead of failing until the container is recycled.
 */
export function fetchOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
