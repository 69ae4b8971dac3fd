import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import forge from 'node-forge';
import type { AppConfigService } from '../src/config/app-config.service';
import type { HomebankHttpService } from '../src/gateway/homebank-http.service';
import { CryptogramService, encryptCryptogram, type CryptogramPayload } from '../src/modules/crypto/cryptogram.service';
import { parseRsaPublicKey, type EpayPublicKeyService } from '../src/modules/crypto/epay-public-key.service';
import { decryptCryptogram, loadKeys } from '../src/sandbox/sandbox-keys.util';
import { int, sized } from './lib/options';
import { log, note, printTable } from './lib/report';
import { fmt, median, round, spreadPercent } from './lib/stats';
import type { Benchmark } from './run';

// Cryptograms per second, all on one RSA-4096 key (the sandbox's, the size ePay uses), side by side
// in one process, rounds interleaved so drift hits every subject alike:
//  - raw node:crypto: JSON + publicEncrypt(PKCS#1 v1.5) + base64, the least any implementation does
//  - encryptCryptogram: the project's function with the KeyObject parsed by parseRsaPublicKey
//  - CryptogramService.forCard: the whole service call (card validation, MMYY, async key lookup)
//  - node-forge alone: parse once, encrypt + base64 per cryptogram

const TERMINAL = '67e34d63-102f-4bd1-898e-370781d0074d';
const CARD = { number: '4111111111111111', expMonth: 12, expYear: 2030, cvc: '123' };
const PAYLOAD: CryptogramPayload = { hpan: CARD.number, expDate: '1230', cvc: CARD.cvc, terminalId: TERMINAL };

interface Subject {
  name: string;
  op: () => string | Promise<string>;
  async: boolean;
}

async function measure(subject: Subject, ms: number): Promise<number> {
  const started = performance.now();
  const end = started + ms;
  let n = 0;
  if (subject.async) {
    while (performance.now() < end) {
      await subject.op();
      n++;
    }
  } else {
    while (performance.now() < end) {
      void subject.op();
      n++;
    }
  }
  return n / ((performance.now() - started) / 1000);
}

export const cryptogramBenchmark: Benchmark = {
  name: 'cryptogram',
  description: 'cryptogram builds per second: CryptogramService vs raw node:crypto vs node-forge (RSA-4096)',
  async run() {
    const rounds = int('crypto-rounds', sized(7, 3));
    const roundMs = int('crypto-round-ms', sized(2000, 300));
    const warmupMs = int('crypto-warmup-ms', sized(2000, 300));

    const keys = loadKeys();
    const parsed = parseRsaPublicKey(keys.publicKeyPem);
    const rawKey = createPublicKey(keys.publicKeyPem);
    const forgeKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
    // the real service with its collaborators reduced to what forCard reads: the cached key, the terminal id, EPAY_ENV
    const keyService = { get: async () => parsed } as unknown as EpayPublicKeyService;
    const homebank = { terminalId: TERMINAL } as unknown as HomebankHttpService;
    const config = { get: () => 'sandbox' } as unknown as AppConfigService;
    const service = new CryptogramService(keyService, homebank, config);

    const subjects: Subject[] = [
      {
        name: 'raw node:crypto publicEncrypt',
        async: false,
        op: () =>
          publicEncrypt(
            { key: rawKey, padding: constants.RSA_PKCS1_PADDING },
            Buffer.from(JSON.stringify(PAYLOAD), 'utf8'),
          ).toString('base64'),
      },
      { name: 'encryptCryptogram (project)', async: false, op: () => encryptCryptogram(PAYLOAD, parsed.keyObject) },
      { name: 'CryptogramService.forCard (project)', async: true, op: () => service.forCard(CARD) },
      {
        name: 'node-forge alone',
        async: false,
        op: () =>
          forge.util.encode64(forgeKey.encrypt(forge.util.encodeUtf8(JSON.stringify(PAYLOAD)), 'RSAES-PKCS1-V1_5')),
      },
    ];

    // every subject must produce a cryptogram the bank side can read
    for (const s of subjects) {
      const plain = decryptCryptogram(keys, await s.op());
      if (plain !== JSON.stringify(PAYLOAD))
        throw new Error(`${s.name} produced a cryptogram that does not decrypt to the payload`);
    }

    log(`cryptogram: RSA-${parsed.bits}, warm-up ${warmupMs} ms each, ${rounds} rounds x ${roundMs} ms per subject`);
    for (const s of subjects) await measure(s, warmupMs);
    const perRound: number[][] = subjects.map(() => []);
    for (let r = 0; r < rounds; r++) {
      // rotate the order each round: no subject always runs first (or right after forge's garbage)
      for (let k = 0; k < subjects.length; k++) {
        const i = (k + r) % subjects.length;
        perRound[i].push(await measure(subjects[i], roundMs));
      }
    }

    const raw = perRound[0];
    const rows = subjects.map((s, i) => {
      const ratios = perRound[i].map((v, r) => v / raw[r]);
      return {
        subject: s.name,
        opsPerSecond: round(median(perRound[i]), 0),
        spreadPercent: round(spreadPercent(perRound[i]), 1),
        ratioToRaw: round(median(ratios), 3),
        ratioToRawRange: [round(Math.min(...ratios), 3), round(Math.max(...ratios), 3)],
      };
    });
    printTable(
      'Cryptogram builds per second (median of rounds; ratio = paired per round, median [min..max])',
      ['subject', 'ops/s', 'noise %', 'vs raw', 'range'],
      rows.map((r) => [
        r.subject,
        fmt(r.opsPerSecond, 0),
        fmt(r.spreadPercent, 1),
        fmt(r.ratioToRaw, 3),
        `${fmt(r.ratioToRawRange[0], 3)}..${fmt(r.ratioToRawRange[1], 3)}`,
      ]),
    );
    const serviceRatio = rows[2].ratioToRaw;
    const fnRatio = rows[1].ratioToRaw;
    const forgeSpeedup = round(rows[0].opsPerSecond / rows[3].opsPerSecond, 1);
    const goal = serviceRatio >= 0.8 && fnRatio >= 0.8;
    note(
      `goal >= 80% of raw native: service ${fmt(serviceRatio * 100, 1)}%, function ${fmt(fnRatio * 100, 1)}% -> ${goal ? 'MET' : 'NOT MET'}`,
    );
    note(`raw node:crypto is ${forgeSpeedup}x node-forge`);
    return {
      config: { rounds, roundMs, warmupMs, keyBits: parsed.bits },
      subjects: rows,
      goals: { serviceVsRaw: serviceRatio, functionVsRaw: fnRatio, target: 0.8, met: goal },
      nativeVsForge: forgeSpeedup,
    };
  },
};
