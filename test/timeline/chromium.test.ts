import { describe, expect, it } from 'vitest';
import { startChromium } from '../browser/chromium.js';

describe('the browser suite without Chromium', () => {
  it('fails with the way to install it, instead of passing', async () => {
    await expect(startChromium('/nonexistent/chromium')).rejects.toThrow(
      new Error(
        'Chromium is missing: /nonexistent/chromium does not exist. Install it with `apt-get update && apt-get install -y chromium` (Debian), or set SELFSAME_CHROMIUM to a Chromium binary. The browser suite never passes without a browser.',
      ),
    );
  });
});
