// @vitest-environment jsdom
import { enableAutoUnmount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Reply } from '../../electron/contract/channels.ts'
import type { RecordExportOutcome } from '../../electron/contract/outpatient-record.ts'
import type { RecordHistory } from '../../electron/contract/record-evidence.ts'
import { replaceWorkstationClient } from '../../renderer/src/api/connect.ts'
import { WorkstationClient } from '../../renderer/src/api/workstation-client.ts'
import RecordExportPanel from '../../renderer/src/components/records/RecordExportPanel.vue'
import { i18n } from '../../renderer/src/i18n/index.ts'
import { freshWindow, mountInWindow, settled } from './window-harness.ts'

// What the export says after `export.run`, in the app: where the file went, or that the clinician
// cancelled the save dialog and nothing was saved (the browser host's download is tested against
// the real core in record-editor.test.ts). The app's save dialog is the shell's, so the workstation
// here is a stand-in that answers as the app's would.

enableAutoUnmount(afterEach)

const signedVersion = {
  id: 11,
  recordId: 3,
  consultationId: 'c-1',
  version: 1,
  status: 'signed' as const,
  sections: { chiefComplaint: '头痛三天', diagnosis: '紧张型头痛' },
  author: 'D0001',
  authorName: '李医生',
  createdAt: '2026-03-01T09:00:00+08:00',
  updatedAt: '2026-03-01T09:10:00+08:00',
  signedBy: 'D0001',
  signerName: '李医生',
  signedAt: '2026-03-01T09:10:00+08:00',
  contentHash: 'a'.repeat(64),
  amendsVersionId: null,
  amendmentReason: null,
}
const history: RecordHistory = { recordId: 3, versions: [signedVersion], exports: [] }

function answering(outcome: RecordExportOutcome) {
  const asked: Array<{ name: string; input: unknown }> = []
  replaceWorkstationClient(
    new WorkstationClient({
      async invoke(name, input) {
        asked.push({ name, input })
        if (name === 'export.run') return { ok: true, value: outcome } satisfies Reply<unknown>
        return { ok: false, error: { code: 'INTERNAL', message: 'not in this test' } }
      },
      onEvent: () => () => undefined,
    }),
  )
  return asked
}

beforeEach(() => {
  freshWindow()
})

describe('the export’s outcome in the app', () => {
  it('says where the file was saved, for the version and format chosen', async () => {
    const asked = answering({ outcome: 'saved', fileName: 'r.pdf', path: '/home/doctor/病历/门诊病历-王芳.pdf', bytes: 10, contentHash: 'b'.repeat(64), auditChainHead: 'c'.repeat(64), export: { id: 1, recordVersionId: 11, format: 'pdf', destination: 'file', contentHash: 'b'.repeat(64), exportedBy: 'D0001', exportedAt: '2026-03-01T09:20:00+08:00' } })
    const panel = mountInWindow(RecordExportPanel, freshWindow(), { props: { history } })
    await panel.get('[data-testid=export-paper] [data-paper=a5] input').setValue(true)
    await panel.get('[data-testid=export-run]').trigger('click')
    await vi.waitFor(() => expect(panel.find('[data-testid=export-notice]').exists()).toBe(true))
    expect(asked[0]).toEqual({ name: 'export.run', input: { recordVersionId: 11, format: 'pdf', paper: 'a5' } })
    expect(panel.get('[data-testid=export-notice]').attributes('data-outcome')).toBe('saved')
    expect(panel.get('[data-testid=export-notice]').text()).toBe('已保存到 /home/doctor/病历/门诊病历-王芳.pdf')
  })

  it('says nothing was saved when the clinician cancelled the save dialog; other formats carry no paper', async () => {
    const asked = answering({ outcome: 'cancelled' })
    const panel = mountInWindow(RecordExportPanel, freshWindow(), { props: { history } })
    await panel.get('[data-testid=export-format] [data-format=fhir] input').setValue(true)
    await panel.get('[data-testid=export-run]').trigger('click')
    await vi.waitFor(() => expect(panel.find('[data-testid=export-notice]').exists()).toBe(true))
    expect(asked[0]).toEqual({ name: 'export.run', input: { recordVersionId: 11, format: 'fhir' } })
    expect(panel.get('[data-testid=export-notice]').text()).toBe('已取消，没有保存任何文件。')
    i18n.global.locale.value = 'en'
    await settled()
    expect(panel.get('[data-testid=export-notice]').text()).toBe('Cancelled: no file was saved.')
  })

  it('offers no export before the record is signed', () => {
    answering({ outcome: 'cancelled' })
    const panel = mountInWindow(RecordExportPanel, freshWindow(), { props: { history: { ...history, versions: [{ ...signedVersion, status: 'draft', signedAt: null, signedBy: null, signerName: null }] } } })
    expect(panel.find('[data-testid=export-run]').exists()).toBe(false)
    expect(panel.get('[data-testid=export-only-signed]').text()).toBe('签名后才能导出和打印。')
  })
})
