// Runs the reliability specs in file-name order: 99-card-data-at-rest scans what the earlier flows left.
const Sequencer = require('@jest/test-sequencer').default;

class NameOrderSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => a.path.localeCompare(b.path));
  }
}

module.exports = NameOrderSequencer;
