// The child process of the crash test (records-durability.test.ts): streams answers into a record
// database as the workstation does, and says on stdout what it has committed, one JSON line each:
//   {"p": id}             a patient message is committed
//   {"a": id}             an answer row exists (streaming)
//   {"k": id, "n": len}   a checkpoint of that answer, `len` characters, is committed
//   {"f": id}             the answer is finished (complete)
// The test kills it with SIGKILL at random moments. Texts are a function of ids, so the test knows
// what each message must contain.
//   node records-crash-writer.ts DB SEED CHECKPOINT_MS
import { fileURLToPath } from 'node:url'
import { AnswerCheckpointer } from '../../electron/core/records/answer-checkpointer.ts'
import { openRecordStore } from '../../electron/core/records/record-store.ts'

const phrases = ['头痛', '发热', '咳嗽', '血压', '建议', '复查', '注意休息', 'CT', '多喝水', '按时服药', '恶心', '睡眠']

/** The full text of a message: long enough to need many checkpoints. */
export function crashTestText(kind: 'patient' | 'answer', seed: number, n: number): string {
  let text = kind === 'patient' ? `病人${seed}-${n}：` : `回答${n}：`
  for (let i = 0; text.length < (kind === 'patient' ? 40 : 600); i++) text += phrases[(n * 7 + i * 3 + seed) % phrases.length] + (i % 5 === 4 ? '。' : '，')
  return text
}

async function main(): Promise<void> {
  const [path, seedText, intervalText] = process.argv.slice(2)
  const seed = Number(seedText)
  const store = await openRecordStore({ path: path as string, scheduledBackups: false })
  const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`)
  const pause = () => new Promise((resolve) => setTimeout(resolve, 1 + (seed % 3)))
  const patient = store.patients.register({ name: `病人${seed}` }, 'dr.crash')
  say({ ready: true })
  for (let turn = 0; ; turn++) {
    const consultation = store.consultations.create({ patientId: patient.id }, 'dr.crash')
    for (let exchange = 0; exchange < 3; exchange++) {
      const question = store.messages.appendPatientMessage(consultation.id, crashTestText('patient', seed, turn * 10 + exchange))
      say({ p: question.id })
      const answer = store.messages.startAnswer(consultation.id, { modelName: 'crash-test' })
      say({ a: answer.id })
      const full = crashTestText('answer', seed, answer.id)
      const checkpointer = new AnswerCheckpointer(store.messages, answer.id, { intervalMs: Number(intervalText) })
      for (let at = 0; at < full.length; at += 3) {
        if (checkpointer.append(full.slice(at, at + 3))) say({ k: answer.id, n: checkpointer.text.length })
        await pause()
      }
      checkpointer.finish({ status: 'complete' })
      say({ f: answer.id })
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
