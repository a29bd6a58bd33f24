/**
 * lightning/platformResourceLoader: loadScript / loadStyle add a <script> / <link> to the document head,
 * once per URL (a second call gets the first call's promise), as the platform does.
 */
const loaded = new Map();

function once(url, create) {
  if (!loaded.has(url)) {
    const promise = new Promise((resolve, reject) => {
      const element = create();
      element.addEventListener('load', () => resolve());
      element.addEventListener('error', () => {
        loaded.delete(url);
        reject(new Error(`could not load ${url}`));
      });
      document.head.appendChild(element);
    });
    loaded.set(url, promise);
  }
  return loaded.get(url);
}

export function loadScript(_component, url) {
  return once(url, () => {
    const script = document.createElement('script');
    script.src = url;
    script.charset = 'utf-8';
    script.type = 'text/javascript';
    return script;
  });
}

export function loadStyle(_component, url) {
  return once(url, () => {
    const link = document.createElement('link');
    link.href = url;
    link.rel = 'stylesheet';
    link.type = 'text/css';
    return link;
  });
}
