import type { Env as ParleyEnv } from "../../workers/env.js";

declare global {
  namespace Cloudflare {
    interface Env extends ParleyEnv {}
    interface GlobalProps {
      mainModule: typeof import("../../workers/index.js");
    }
  }
}
