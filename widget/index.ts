import type { MountOptions, ParleyWidget, SchemeOption } from "./mount.js";
import { mount } from "./mount.js";

export interface ParleyGlobal {
  mount(options: MountOptions): ParleyWidget;
}

declare global {
  interface Window {
    Parley?: ParleyGlobal;
  }
}

const Parley: ParleyGlobal = { mount };
window.Parley = Parley;

/**
 * `<script src=".../widget.js" data-parley-endpoint="https://HOST" defer>` mounts by itself.
 * An empty endpoint means the origin the script came from. Optional: data-parley-locale,
 * data-parley-theme (light | dark | auto), data-parley-open.
 */
function autoMount(script: HTMLScriptElement): void {
  const data = script.dataset;
  const endpoint = data["parleyEndpoint"] || new URL(script.src, location.href).origin;
  const theme = data["parleyTheme"];
  const options: MountOptions = { endpoint, open: data["parleyOpen"] !== undefined };
  if (data["parleyLocale"]) options.locale = data["parleyLocale"];
  if (theme === "light" || theme === "dark" || theme === "auto") options.theme = theme satisfies SchemeOption;
  mount(options);
}

const script = document.currentScript;
if (script instanceof HTMLScriptElement && script.dataset["parleyEndpoint"] !== undefined) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => autoMount(script), { once: true });
  else autoMount(script);
}
