// URLs that would make the worker request its own network: loopback, private, link-local and metadata addresses
// in every notation the URL parser accepts, local names, user info and non-http schemes.
import { origin } from "./transformHelpers.js";

const port = new URL(origin).port;

export interface Form {
  name: string;
  /** Written into the transform path exactly as is. */
  source: string;
  reason: string;
}

/** Every form a URL the worker requests must not take (transform sources, webhooks), and the refusal's reason. */
export const ssrfForms: Form[] = [
  { name: "loopback 127.0.0.1 (the real origin, test exception off)", source: `http://127.0.0.1:${port}/allowed/img/s.png`, reason: "private-address" },
  { name: "loopback as decimal", source: `http://2130706433:${port}/allowed/img/s.png`, reason: "private-address" },
  { name: "loopback as octal", source: `http://0177.0.0.1:${port}/allowed/img/s.png`, reason: "private-address" },
  { name: "loopback as hex", source: `http://0x7f.0.0.1:${port}/allowed/img/s.png`, reason: "private-address" },
  { name: "loopback, short form", source: `http://127.1:${port}/allowed/img/s.png`, reason: "private-address" },
  { name: "localhost", source: `http://localhost:${port}/allowed/img/s.png`, reason: "local-hostname" },
  { name: "*.localhost", source: "http://images.localhost/x.png", reason: "local-hostname" },
  { name: "this network 0.0.0.0", source: `http://0.0.0.0:${port}/x.png`, reason: "private-address" },
  { name: "private 10/8", source: "http://10.0.0.1/x.png", reason: "private-address" },
  { name: "private 172.16/12", source: "http://172.16.5.4/x.png", reason: "private-address" },
  { name: "private 192.168/16", source: "http://192.168.0.10/x.png", reason: "private-address" },
  { name: "shared 100.64/10", source: "http://100.64.1.1/x.png", reason: "private-address" },
  { name: "cloud metadata", source: "http://169.254.169.254/latest/meta-data/iam/security-credentials/", reason: "private-address" },
  { name: "cloud metadata as decimal", source: "http://2852039166/latest/meta-data/", reason: "private-address" },
  { name: "cloud metadata as octal", source: "http://0251.0376.0251.0376/latest/meta-data/", reason: "private-address" },
  { name: "cloud metadata as hex", source: "http://0xa9fea9fe/latest/meta-data/", reason: "private-address" },
  { name: "metadata.google.internal", source: "http://metadata.google.internal/computeMetadata/v1/", reason: "local-hostname" },
  { name: "IPv6 loopback", source: "http://[::1]/x.png", reason: "private-address" },
  { name: "IPv4-mapped IPv6 loopback", source: `http://[::ffff:127.0.0.1]:${port}/allowed/img/s.png`, reason: "private-address" },
  { name: "IPv4-mapped IPv6 metadata", source: "http://[::ffff:169.254.169.254]/latest/meta-data/", reason: "private-address" },
  { name: "NAT64 metadata", source: "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/", reason: "private-address" },
  { name: "IPv6 unique local", source: "http://[fd00::1]/x.png", reason: "private-address" },
  { name: "IPv6 link-local", source: "http://[fe80::1]/x.png", reason: "private-address" },
  { name: "user info pointing at another host", source: `http://cdn.example.com@127.0.0.1:${port}/allowed/img/s.png`, reason: "userinfo" },
  { name: "user info on a listed host", source: "https://user:secret@cdn.example.com/x.png", reason: "userinfo" },
  { name: "file:", source: "file:///etc/passwd", reason: "scheme" },
  { name: "ftp:", source: "ftp://cdn.example.com/x.png", reason: "scheme" },
  { name: "data:", source: "data:image/png;base64,iVBORw0KGgo=", reason: "scheme" },
  { name: "encoded traversal out of a listed prefix", source: "https://cdn.example.com/photos/..%2fprivate/x.png", reason: "encoded-path" },
  { name: "a host not on the list", source: "https://evil.example/x.png", reason: "not-listed" },
];

