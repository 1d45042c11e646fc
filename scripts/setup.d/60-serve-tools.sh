# Video and browser tooling: Debian's ffmpeg (handpose track reads and writes video through FFMpegCore) and
# chromium (the browser tests of handpose serve drive /usr/bin/chromium through Playwright; no browser download).
hp_apt ffmpeg chromium
