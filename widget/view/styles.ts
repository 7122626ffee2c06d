/**
 * The widget's stylesheet, scoped by its shadow root. Every colour, radius and font reads a
 * `--parley-*` custom property first: custom properties inherit into the shadow tree, so a
 * host page themes the widget from its own CSS (`:root { --parley-accent: #0a7 }`) and
 * nothing else of the page's CSS gets in.
 */
export const STYLES = `
:host{all:initial}
.root{
  --_accent:var(--parley-accent,#2563eb);--_on-accent:var(--parley-on-accent,#fff);
  --_bg:var(--parley-bg,#fff);--_fg:var(--parley-fg,#111827);--_muted:var(--parley-muted,#6b7280);
  --_bot-bg:var(--parley-bot-bg,#f1f5f9);--_bot-fg:var(--parley-bot-fg,var(--_fg));
  --_agent-bg:var(--parley-agent-bg,#ecfdf5);--_agent-fg:var(--parley-agent-fg,var(--_fg));--_agent-edge:var(--parley-agent-edge,#059669);
  --_user-bg:var(--parley-user-bg,var(--_accent));--_user-fg:var(--parley-user-fg,var(--_on-accent));
  --_border:var(--parley-border,#e5e7eb);--_danger:var(--parley-danger,#b91c1c);
  --_radius:var(--parley-radius,16px);
  font:14px/1.45 var(--parley-font,system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei",sans-serif);
  color:var(--_fg);position:fixed;right:var(--parley-offset,20px);bottom:var(--parley-offset,20px);
  z-index:var(--parley-z-index,2147483000);display:flex;flex-direction:column;align-items:flex-end;gap:12px
}
.root[data-scheme=dark]{
  --_bg:var(--parley-bg-dark,#0f172a);--_fg:var(--parley-fg-dark,#e2e8f0);--_muted:var(--parley-muted-dark,#94a3b8);
  --_bot-bg:var(--parley-bot-bg-dark,#1e293b);--_agent-bg:var(--parley-agent-bg-dark,#064e3b);--_agent-edge:var(--parley-agent-edge-dark,#34d399);--_border:var(--parley-border-dark,#334155);--_danger:var(--parley-danger-dark,#f87171)
}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
button{font:inherit;cursor:pointer}
:focus-visible{outline:2px solid var(--_accent);outline-offset:2px}
svg{width:24px;height:24px;fill:currentColor}
.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{width:56px;height:56px;border:0;border-radius:50%;background:var(--_accent);color:var(--_on-accent);
  display:grid;place-items:center;box-shadow:0 6px 20px rgb(0 0 0/.25)}
.panel{width:min(380px,calc(100vw - 2*var(--parley-offset,20px)));height:min(560px,calc(100vh - 120px));
  background:var(--_bg);color:var(--_fg);border:1px solid var(--_border);border-radius:var(--_radius);
  box-shadow:0 12px 40px rgb(0 0 0/.22);display:flex;flex-direction:column;overflow:hidden}
.head{display:flex;align-items:center;gap:8px;padding:12px 12px 12px 16px;background:var(--_accent);color:var(--_on-accent)}
.head h2{font-size:16px;font-weight:600;margin:0;flex:1}
.status{margin:0;padding:6px 16px;font-size:12px;color:var(--_muted);border-bottom:1px solid var(--_border)}
.status:empty{display:none}
.log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:8px;overscroll-behavior:contain}
.msg{display:flex;flex-direction:column;max-width:85%}
.msg.bot,.msg.agent{align-self:flex-start}
.msg.system{align-self:center;max-width:90%;text-align:center}
.name{font-size:11px;font-weight:600;color:var(--_muted);margin:0 0 2px 4px}
.name:empty{display:none}
.msg.user{align-self:flex-end;align-items:flex-end}
.bubble{margin:0;padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.bot .bubble{background:var(--_bot-bg);color:var(--_bot-fg);border-bottom-left-radius:4px}
.agent .bubble{background:var(--_agent-bg);color:var(--_agent-fg);border-left:3px solid var(--_agent-edge);border-bottom-left-radius:4px}
.system .bubble{padding:2px 8px;font-size:12px;color:var(--_muted)}
.user .bubble{background:var(--_user-bg);color:var(--_user-fg);border-bottom-right-radius:4px}
.pending .bubble{opacity:.65}
.streaming .bubble::after{content:"";display:inline-block;width:2px;height:1em;margin-left:2px;vertical-align:text-bottom;background:currentColor;animation:caret 1s steps(1) infinite}
@keyframes caret{50%{opacity:0}}
.failed .bubble{outline:1px solid var(--_danger)}
.note{font-size:11px;color:var(--_muted)}
.note:empty{display:none}
.failed .note{color:var(--_danger)}
.typing{display:flex;align-items:center;gap:6px;padding:0 16px 8px;font-size:12px;color:var(--_muted)}
.dots{display:inline-flex;gap:3px}
.dots i{width:6px;height:6px;border-radius:50%;background:currentColor;animation:blink 1.2s infinite both}
.dots i:nth-child(2){animation-delay:.2s}.dots i:nth-child(3){animation-delay:.4s}
@keyframes blink{0%,80%,100%{opacity:.25}40%{opacity:1}}
@media (prefers-reduced-motion:reduce){.dots i,.streaming .bubble::after{animation:none}}
.quick{display:flex;flex-wrap:wrap;gap:6px;padding:0 16px 10px}
.quick button{border:1px solid var(--_accent);background:transparent;color:var(--_accent);border-radius:999px;padding:5px 12px}
.quick button:hover{background:var(--_accent);color:var(--_on-accent)}
.form{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid var(--_border)}
.form textarea{flex:1;resize:none;font:inherit;color:inherit;background:transparent;border:1px solid var(--_border);
  border-radius:12px;padding:8px 12px;max-height:120px;min-height:38px}
.send{width:38px;height:38px;border:0;border-radius:50%;background:var(--_accent);color:var(--_on-accent);display:grid;place-items:center}
.send svg,.mic svg{width:20px;height:20px}
.mic{width:38px;height:38px;border:1px solid var(--_border);border-radius:50%;background:transparent;color:var(--_fg);display:grid;place-items:center}
.mic[aria-pressed=true]{background:var(--_danger);border-color:var(--_danger);color:#fff;animation:rec 1.4s infinite}
.mic[aria-disabled=true]{opacity:.5;cursor:progress}
.mic:disabled{opacity:.4;cursor:default}
@keyframes rec{50%{box-shadow:0 0 0 5px rgb(185 28 28/.25)}}
@media (prefers-reduced-motion:reduce){.mic{animation:none!important}}
.voice-note{margin:0;padding:0 16px 8px;font-size:12px;color:var(--_muted)}
.voice-note:empty{display:none}
.voice-note.problem{color:var(--_danger)}
audio{display:block;width:calc(100% - 32px);height:36px;margin:0 16px 8px}
`;
