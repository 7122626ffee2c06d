/**
 * Tasks that run one at a time, in the order given, each starting when the one before settles
 * (a failure does not stop the queue). A Durable Object's input gate lets a new call in at every
 * `await` of an action or webhook; turns and erasure queue here so that none interleaves another.
 *
 * @example
 * const queue = new SerialQueue();
 * queue.run(() => takeTurn(first));
 * queue.run(() => takeTurn(second)); // starts once the first has committed or failed
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
