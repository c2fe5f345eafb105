/**
 * Sets `target[key]` as an own enumerable property. Plain assignment would
 * change the prototype instead when `key` is "__proto__", which is a valid
 * map key and attribute name.
 */
export function setOwnProperty<T>(
  target: { [key: string]: T },
  key: string,
  value: T,
): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
