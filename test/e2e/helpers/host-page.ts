import type { Server } from "node:http";
import { createServer } from "node:http";
import { freePort } from "./dev-server.js";

/**
 * A stand-in for a customer's site on another origin: serves whatever HTML a test gives it
 * at `/`, so the widget runs embedded cross-origin, as it does in production.
 */
export class HostPage {
  private html = "<!doctype html><title>host</title>";

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<HostPage> {
    const port = await freePort();
    let page: HostPage | undefined;
    const server = createServer((request, response) => {
      response.writeHead(request.url === "/" ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
      response.end(request.url === "/" ? page?.html : "not found");
    });
    await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
    page = new HostPage(server, port);
    return page;
  }

  /** The origin the page is served from; `localhost` names the same server as another origin. */
  origin(host: "127.0.0.1" | "localhost" = "127.0.0.1"): string {
    return `http://${host}:${this.port}`;
  }

  serve(html: string): void {
    this.html = html;
  }

  stop(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }
}
