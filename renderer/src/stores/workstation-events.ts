import { workstationClient } from '../api/connect.ts'
import { useConsultationStore } from './consultation.ts'
import { useModelStore } from './model.ts'
import { useSessionStore } from './session.ts'

/** Routes the workstation's pushed events to the stores they concern. Returns the unsubscribe. */
export function followWorkstationEvents(): () => void {
  const model = useModelStore()
  const consultation = useConsultationStore()
  const session = useSessionStore()
  return workstationClient().onEvent((event) => {
    const previous = session.session
    session.handleEvent(event)
    // Lock, sign-out, another clinician: the page lets go of every patient's data at once.
    if (event.type === 'session.changed') {
      consultation.followSession(previous, event.session)
      const who = (s: typeof previous) => (s && s.state !== 'signed-out' ? s.clinician.staffId : null)
      if (who(previous) !== who(event.session)) model.forgetFailure()
    }
    model.handleEvent(event)
    consultation.handleEvent(event)
  })
}
