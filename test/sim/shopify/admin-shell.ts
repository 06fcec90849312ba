import crypto from "node:crypto";

/** `host` param: base64 of admin.shopify.com/store/<name>, which shopify-api's sanitizeHost accepts. */
export function hostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64").replace(/=+$/, "");
}

/** Admin-signed query (hex HMAC over the sorted params without `hmac`), as Shopify adds to app URLs. */
export function signAdminQuery(params: Record<string, string>, secret: string): string {
  const message = Object.keys(params)
    .filter((k) => k !== "hmac" && k !== "signature")
    .sort((a, b) => a.localeCompare(b))
    .map((k) => `${k}=${params[k]}`)
    .join("&");
  return crypto.createHmac("sha256", secret).update(message).digest("hex");
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export interface ShellParams {
  shop: string;
  shopName: string;
  appName: string;
  iframeSrc: string;
  appOrigin: string;
  tokenEndpoint: string;
}

/** The admin page: chrome (nav, title bar, save bar, toasts) around the app iframe, talking over postMessage. */
export function renderShell(p: ShellParams): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(p.appName)} · ${escapeHtml(p.shopName)} · Shopify admin (simulator)</title>
<style>
  body{margin:0;font-family:system-ui,sans-serif;display:grid;grid-template-columns:220px 1fr;grid-template-rows:48px auto 1fr;height:100vh;background:#f1f1f1}
  header{grid-column:1/3;background:#1a1a1a;color:#fff;display:flex;align-items:center;padding:0 16px;gap:16px}
  header .shop{font-weight:600}
  #savebar{display:none;grid-column:1/3;background:#303030;color:#fff;padding:8px 16px;gap:8px;align-items:center}
  #savebar.open{display:flex}
  nav{grid-row:3;background:#ebebeb;padding:12px;overflow:auto}
  nav a{display:block;padding:6px 8px;color:#303030;text-decoration:none;border-radius:6px;cursor:pointer}
  nav a:hover,nav a.active{background:#fff}
  main{grid-row:3;display:flex;flex-direction:column;min-width:0}
  #titlebar{display:flex;align-items:center;gap:8px;padding:8px 16px;min-height:36px;background:#fafafa;border-bottom:1px solid #ddd}
  #titlebar h1{font-size:16px;margin:0;flex:1}
  #loading{height:3px;background:transparent}
  #loading.on{background:linear-gradient(90deg,#008060,#95bf47)}
  iframe{flex:1;border:0;width:100%;background:#fff}
  #toasts{position:fixed;bottom:24px;left:50%;transform:translateX(-50%);display:flex;flex-direction:column;gap:8px}
  .toast{background:#1a1a1a;color:#fff;padding:10px 16px;border-radius:8px}
  .toast.error{background:#8e1f0b}
</style></head>
<body data-shop="${escapeHtml(p.shop)}">
<header><span class="shop" id="shop-name">${escapeHtml(p.shopName)}</span><span>Apps › ${escapeHtml(p.appName)}</span></header>
<div id="savebar" role="region" aria-label="Save bar"><span id="savebar-message">Unsaved changes</span><span style="flex:1"></span><span id="savebar-buttons"></span></div>
<nav id="app-nav" aria-label="App navigation"></nav>
<main>
  <div id="titlebar"><h1 id="app-title">${escapeHtml(p.appName)}</h1><span id="titlebar-buttons"></span></div>
  <div id="loading"></div>
  <iframe id="app-iframe" name="app-iframe" title="${escapeHtml(p.appName)}" src="${escapeHtml(p.iframeSrc)}"></iframe>
</main>
<div id="toasts" aria-live="polite"></div>
<script>
(function(){
  var APP_ORIGIN = ${JSON.stringify(p.appOrigin)};
  var TOKEN_URL = ${JSON.stringify(p.tokenEndpoint)};
  var frame = document.getElementById('app-iframe');
  function send(msg){ frame.contentWindow && frame.contentWindow.postMessage(Object.assign({source:'shopify-sim-admin'}, msg), '*'); }
  function buttons(container, list, kind){
    container.innerHTML = '';
    (list||[]).forEach(function(b){
      var el = document.createElement('button');
      el.textContent = b.label; el.disabled = !!b.disabled; el.dataset.variant = b.variant || '';
      el.onclick = function(){ send({type: kind, id: b.id}); };
      container.appendChild(el);
    });
  }
  window.__shopifySim = { messages: [] };
  window.addEventListener('message', function(ev){
    var m = ev.data; if (!m || m.source !== 'shopify-sim-app-bridge') return;
    window.__shopifySim.messages.push(m);
    switch (m.type) {
      case 'idToken':
        fetch(TOKEN_URL, {credentials:'same-origin'}).then(function(r){return r.json()}).then(function(j){ send({type:'idToken', requestId:m.requestId, token:j.token}); });
        break;
      case 'toast': {
        var t = document.createElement('div'); t.className = 'toast' + (m.isError ? ' error' : ''); t.textContent = m.message;
        document.getElementById('toasts').appendChild(t); setTimeout(function(){ t.remove(); }, m.duration || 5000); break; }
      case 'loading': document.getElementById('loading').className = m.on ? 'on' : ''; break;
      case 'saveBar':
        document.getElementById('savebar').className = m.open ? 'open' : '';
        buttons(document.getElementById('savebar-buttons'), m.buttons, 'saveBarAction'); break;
      case 'titleBar':
        document.getElementById('app-title').textContent = m.title || ${JSON.stringify(p.appName)};
        buttons(document.getElementById('titlebar-buttons'), m.buttons, 'titleBarAction');
        document.title = (m.title || ${JSON.stringify(p.appName)}) + ' · ${escapeHtml(p.shopName)}'; break;
      case 'navMenu': {
        var nav = document.getElementById('app-nav'); nav.innerHTML = '';
        (m.items||[]).forEach(function(it){
          var a = document.createElement('a'); a.textContent = it.label; a.dataset.href = it.href; a.setAttribute('role','link');
          a.onclick = function(e){ e.preventDefault(); send({type:'navigate', href: it.href}); };
          nav.appendChild(a);
        }); break; }
      case 'location':
        document.querySelectorAll('#app-nav a').forEach(function(a){ a.classList.toggle('active', a.dataset.href === m.pathname); }); break;
    }
  });
})();
</script>
</body></html>`;
}

/**
 * Stand-in for https://cdn.shopify.com/shopifycloud/app-bridge.js: the `shopify` global (idToken, toast,
 * loading, saveBar, config), fetch with the session token, and the ui-nav-menu / ui-title-bar /
 * ui-save-bar / ui-modal elements, rendered by the admin shell via postMessage. Outside an iframe it asks the
 * simulator for tokens directly (the script's own origin).
 */
export function appBridgeScript(): string {
  return `(function(){
  if (window.shopify && window.shopify.__simulator) return;
  var script = document.currentScript;
  var SIM_ORIGIN = script ? new URL(script.src, location.href).origin : '';
  var params = new URLSearchParams(location.search);
  var embedded = window.top !== window;
  var shopParam = params.get('shop') || (function(){ try { return sessionStorage.getItem('shopify-sim-shop'); } catch(e){ return null; } })();
  if (params.get('shop')) try { sessionStorage.setItem('shopify-sim-shop', params.get('shop')); } catch(e){}
  var hostParam = params.get('host') || (function(){ try { return sessionStorage.getItem('shopify-sim-host'); } catch(e){ return null; } })();
  if (params.get('host')) try { sessionStorage.setItem('shopify-sim-host', params.get('host')); } catch(e){}
  var config = { apiKey: script && script.getAttribute('data-api-key') || '', shop: shopParam, host: hostParam, locale: params.get('locale') || 'en', disabledFeatures: [] };
  function post(msg){ if (embedded) window.parent.postMessage(Object.assign({source:'shopify-sim-app-bridge'}, msg), '*'); }
  var pending = {}; var seq = 0; var cached = null;
  window.addEventListener('message', function(ev){
    var m = ev.data; if (!m || m.source !== 'shopify-sim-admin') return;
    if (m.type === 'idToken' && pending[m.requestId]) { pending[m.requestId](m.token); delete pending[m.requestId]; }
    if (m.type === 'navigate') navigate(m.href);
    if (m.type === 'saveBarAction' || m.type === 'titleBarAction') { var b = document.querySelector('[data-sim-button="' + m.id + '"]'); if (b) b.click(); }
  });
  function expOf(token){ try { return JSON.parse(atob(token.split('.')[1].replace(/-/g,'+').replace(/_/g,'/'))).exp * 1000; } catch(e) { return 0; } }
  function idToken(){
    if (cached && expOf(cached) - Date.now() > 10000) return Promise.resolve(cached);
    var p = embedded ? new Promise(function(resolve){ var id = ++seq; pending[id] = resolve; post({type:'idToken', requestId:id}); })
      : fetch(SIM_ORIGIN + '/sim/admin/session-token?shop=' + encodeURIComponent(config.shop || '')).then(function(r){ return r.json(); }).then(function(j){ return j.token; });
    return p.then(function(t){ cached = t; return t; });
  }
  var origFetch = window.fetch.bind(window);
  window.fetch = function(input, init){
    var url = new URL(typeof input === 'string' ? input : input.url, location.href);
    if (url.origin !== location.origin) return origFetch(input, init);
    return idToken().then(function(token){
      var headers = new Headers((init && init.headers) || (typeof input !== 'string' && input.headers) || undefined);
      if (!headers.has('Authorization')) headers.set('Authorization', 'Bearer ' + token);
      return origFetch(input, Object.assign({}, init, { headers: headers }));
    });
  };
  function navigate(href){
    var link = document.querySelector('ui-nav-menu a[href="' + href + '"]');
    var target = link || (function(){ var a = document.createElement('a'); a.setAttribute('href', href); a.style.display = 'none'; document.body.appendChild(a); return a; })();
    target.dispatchEvent(new CustomEvent('shopify:navigate', { bubbles: true }));
  }
  var buttonSeq = 0;
  function describeButtons(el){
    return Array.prototype.map.call(el.querySelectorAll('button'), function(b){
      if (!b.dataset.simButton) b.dataset.simButton = 'b' + (++buttonSeq);
      return { id: b.dataset.simButton, label: (b.textContent || '').trim(), variant: b.getAttribute('variant') || '', disabled: b.disabled };
    });
  }
  var saveBars = {};
  function defineElement(name, cls){ if (!customElements.get(name)) customElements.define(name, cls); }
  function Observed(){ return Reflect.construct(HTMLElement, [], new.target); }
  Observed.prototype = Object.create(HTMLElement.prototype);
  Observed.prototype.connectedCallback = function(){ var self = this; this._obs = new MutationObserver(function(){ self.sync(); }); this._obs.observe(this, {subtree:true, childList:true, attributes:true, characterData:true}); this.sync(); };
  Observed.prototype.disconnectedCallback = function(){ if (this._obs) this._obs.disconnect(); if (this.onRemoved) this.onRemoved(); };
  function SaveBar(){ return Reflect.construct(Observed, [], new.target); }
  SaveBar.prototype = Object.create(Observed.prototype);
  // Like App Bridge: the element's children describe the bar; the admin draws it, not the app.
  SaveBar.prototype.sync = function(){ this.style.display = 'none'; if (this.id) saveBars[this.id] = this; if (this._open) post({type:'saveBar', open:true, buttons: describeButtons(this)}); };
  SaveBar.prototype.show = function(){ if (this._open) return Promise.resolve(); this._open = true; post({type:'saveBar', open:true, buttons: describeButtons(this)}); this.dispatchEvent(new Event('show')); return Promise.resolve(); };
  SaveBar.prototype.hide = function(){ if (!this._open) return Promise.resolve(); this._open = false; post({type:'saveBar', open:false, buttons:[]}); this.dispatchEvent(new Event('hide')); return Promise.resolve(); };
  SaveBar.prototype.toggle = function(){ return this._open ? this.hide() : this.show(); };
  Object.defineProperty(SaveBar.prototype, 'showing', { get: function(){ return !!this._open; } });
  SaveBar.prototype.onRemoved = function(){ if (this._open) post({type:'saveBar', open:false, buttons:[]}); };
  defineElement('ui-save-bar', SaveBar);
  function TitleBar(){ return Reflect.construct(Observed, [], new.target); }
  TitleBar.prototype = Object.create(Observed.prototype);
  // A title bar inside a modal is the modal's heading and buttons, not the page's.
  TitleBar.prototype.sync = function(){ this.style.display = 'none'; var modal = this.closest('ui-modal'); if (modal) { if (modal.drawHeader) modal.drawHeader(); return; } post({type:'titleBar', title: this.getAttribute('title') || '', buttons: describeButtons(this)}); };
  defineElement('ui-title-bar', TitleBar);
  function NavMenu(){ return Reflect.construct(Observed, [], new.target); }
  NavMenu.prototype = Object.create(Observed.prototype);
  NavMenu.prototype.sync = function(){
    this.style.display = 'none';
    post({type:'navMenu', items: Array.prototype.map.call(this.querySelectorAll('a'), function(a){ return { label: (a.textContent||'').trim(), href: a.getAttribute('href'), rel: a.getAttribute('rel') }; }).filter(function(i){ return i.rel !== 'home'; })});
  };
  defineElement('ui-nav-menu', NavMenu);
  // Like App Bridge, a modal is drawn apart from the page: a dialog over it, with the title bar's
  // heading and buttons, and \`content\`, the element the app's React content is rendered into.
  function Modal(){ return Reflect.construct(Observed, [], new.target); }
  Modal.prototype = Object.create(Observed.prototype);
  Modal.prototype.dialog = function(){
    if (this._backdrop) return this._backdrop;
    var backdrop = document.createElement('div');
    backdrop.style.cssText = 'display:none;position:fixed;inset:0;background:rgba(0,0,0,.45);z-index:2147483000;overflow:auto';
    var dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog'); dialog.setAttribute('aria-modal', 'true');
    dialog.style.cssText = 'max-width:620px;margin:64px auto;background:#fff;border-radius:12px;box-shadow:0 20px 60px rgba(0,0,0,.35);overflow:hidden;font-family:inherit';
    var header = document.createElement('div');
    header.style.cssText = 'display:flex;align-items:center;gap:8px;padding:12px 16px;border-bottom:1px solid #e3e3e3';
    var body = document.createElement('div');
    var footer = document.createElement('div');
    footer.style.cssText = 'display:flex;justify-content:flex-end;gap:8px;padding:12px 16px;border-top:1px solid #e3e3e3';
    dialog.appendChild(header); dialog.appendChild(body); dialog.appendChild(footer); backdrop.appendChild(dialog);
    document.body.appendChild(backdrop);
    this._backdrop = backdrop; this._header = header; this._body = body; this._footer = footer;
    return backdrop;
  };
  Object.defineProperty(Modal.prototype, 'content', { get: function(){ this.dialog(); return this._body; } });
  Modal.prototype.drawHeader = function(){
    this.dialog();
    var bar = this.querySelector('ui-title-bar');
    var title = document.createElement('h2');
    title.style.cssText = 'font-size:16px;margin:0;flex:1';
    title.textContent = bar ? (bar.getAttribute('title') || '') : '';
    this._header.replaceChildren(title);
    var buttons = bar ? Array.prototype.slice.call(bar.querySelectorAll('button')) : [];
    this._footer.replaceChildren.apply(this._footer, buttons.map(function(original){
      var b = document.createElement('button');
      b.textContent = (original.textContent || '').trim(); b.disabled = original.disabled; b.dataset.variant = original.getAttribute('variant') || '';
      b.onclick = function(){ original.click(); };
      return b;
    }));
    this._footer.style.display = buttons.length ? 'flex' : 'none';
  };
  Modal.prototype.sync = function(){ this.style.display = 'none'; if (this._backdrop) this._backdrop.style.display = this._open ? 'block' : 'none'; if (this._open) this.drawHeader(); };
  Modal.prototype.show = function(){ this._open = true; this.dialog(); this.sync(); this.dispatchEvent(new Event('show')); return Promise.resolve(); };
  Modal.prototype.hide = function(){ this._open = false; this.sync(); this.dispatchEvent(new Event('hide')); return Promise.resolve(); };
  Modal.prototype.onRemoved = function(){ if (this._backdrop) this._backdrop.remove(); this._backdrop = null; };
  defineElement('ui-modal', Modal);
  var lastPath = null;
  setInterval(function(){ if (location.pathname !== lastPath) { lastPath = location.pathname; post({type:'location', pathname: location.pathname}); } }, 200);
  var toasts = [];
  window.shopify = {
    __simulator: true,
    config: config,
    environment: { embedded: embedded, mobile: false, pos: false },
    idToken: idToken,
    toast: { show: function(message, opts){ opts = opts || {}; var id = 'toast-' + (toasts.length + 1); toasts.push({id:id, message:message, opts:opts}); post({type:'toast', message:message, isError:!!opts.isError, duration:opts.duration}); return id; }, hide: function(){} },
    loading: function(on){ post({type:'loading', on: on !== false}); },
    saveBar: {
      show: function(id){ var el = saveBars[id] || document.getElementById(id); return el ? el.show() : Promise.resolve(); },
      hide: function(id){ var el = saveBars[id] || document.getElementById(id); return el ? el.hide() : Promise.resolve(); },
      toggle: function(id){ var el = saveBars[id] || document.getElementById(id); return el ? el.toggle() : Promise.resolve(); },
      leaveConfirmation: function(){ return Promise.resolve(); }
    },
    modal: { show: function(id){ var el = document.getElementById(id); return el ? el.show() : Promise.resolve(); }, hide: function(id){ var el = document.getElementById(id); return el ? el.hide() : Promise.resolve(); } },
    user: function(){ return Promise.resolve({}); },
    ready: Promise.resolve()
  };
  // Bounce page (shopify-app-remix's /auth/session-token): fetch a fresh id token, go back to the app URL.
  var reload = params.get('shopify-reload');
  if (reload) {
    idToken().then(function(token){ var u = new URL(reload, location.href); u.searchParams.set('id_token', token); location.replace(u.toString()); });
  }
})();`;
}
