import { workstationClient } from '../api/connect.ts'
import { useConsultationStore } from './consultation.ts'
import { useEvaluationStore } from './evaluation.ts'
import { useHistoryStore } from './history.ts'
import { useModelStore } from './model.ts'
import { useModelManagerStore } from './model-manager.ts'
import { useRecordEditorStore } from './record-editor.ts'
import { useRecordListStore } from './record-list.ts'
import { useReviewStore } from './review.ts'
import { useSessionStore } from './session.ts'
import { useTodayStore } from './today.ts'

/** Routes the workstation's pushed events to the stores they concern. Returns the unsubscribe. */
export function followWorkstationEvents(): () => void {
  const model = useModelStore()
  const consultation = useConsultationStore()
  const session = useSessionStore()
  const today = useTodayStore()
  const manager = useModelManagerStore()
  const recordList = useRecordListStore()
  const recordEditor = useRecordEditorStore()
  const history = useHistoryStore()
  const evaluation = useEvaluationStore()
  const review = useReviewStore()
  return workstationClient().onEvent((event) => {
    const previous = session.session
    session.handleEvent(event)
    // Lock, sign-out, another clinician: the page lets go of every patient's data at once.
    if (event.type === 'session.changed') {
      consultation.followSession(previous, event.session)
      if (event.session.state !== 'active') today.clear()
      const who = (s: typeof previous) => (s && s.state !== 'signed-out' ? s.clinician.staffId : null)
      if (event.session.state !== 'active' || who(previous) !== who(event.session)) {
        recordList.clear()
        history.clear()
        // The editor reads its record again when the same clinician comes back to it.
        recordEditor.clear()
      }
      if (who(previous) !== who(event.session)) {
        model.forgetFailure()
        evaluation.clear()
        review.clear()
      }
    }
    model.handleEvent(event)
    manager.handleEvent(event)
    evaluation.handleEvent(event)
    consultation.handleEvent(event)
    recordEditor.handleEvent(event)
    // A new red flag changes what today's list shows beside its patient.
    if (event.type === 'consultation.red-flags' && event.redFlags.length > 0) void today.refresh()
  })
}
