// The signed-URL known answer, shared by the SDK's test, the worker's signature test and the workerd round trip.
// Computed once with node:crypto's createHmac (independent of both implementations); also shown in openapi.yaml.
export const knownAnswer = {
  key: "edge-restore-example-key-0123456789abcdef",
  baseUrl: "https://img.example.com",
  source: "https://cdn.example.com/photos/dark.jpg",
  options: { task: "lowlight", format: "webp", quality: 80 } as const,
  exp: 4102444800,
  canonical: "/cdn-cgi/restore/exp=4102444800,format=webp,quality=80,task=lowlight/https://cdn.example.com/photos/dark.jpg",
  sig: "J3LpoUCikVLdjRfFu8h3J7ZKVQmtLxT8rJRXV2crZdg",
  url:
    "https://img.example.com/cdn-cgi/restore/task=lowlight,format=webp,quality=80,exp=4102444800," +
    "sig=J3LpoUCikVLdjRfFu8h3J7ZKVQmtLxT8rJRXV2crZdg/https://cdn.example.com/photos/dark.jpg",
};
