// An absolute http(s) URL without userinfo, parsed by the WHATWG parser (what browsers use), or why not.
// Userinfo is refused everywhere a URL of ours can be shown or followed (https://shop@evil/...).
export function parseHttpUrl(value: string): URL | string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (url.username || url.password) return 'must not contain credentials';
  return url;
}
