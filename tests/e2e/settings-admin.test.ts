import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openHostWindow, type HostWindow } from '../support/host-window.ts'
import { testClinician } from '../support/host-socket.ts'

// Settings and administration in Chromium through `huatuo serve`: the clinic's name saved and in
// the header at once, a setting the hospital configuration fixes shown locked with its file,
// sampling changed and reset, accounts added, disabled and enabled, a backup made and restored
// (everyone signs in again, the change after the backup gone), the audit verified and the access
// log read; each screen photographed in both languages and for each role.

let window: HostWindow
let dir: string
const NURSE = { staffId: 'N001', name: '赵护士', temporary: '739104', pin: '560382' }
const DOCTOR = { staffId: 'D002', name: '李医生', temporary: '620481', pin: '593028' }
const IT = { staffId: 'IT01', name: '信息科陈工', temporary: '904617', pin: '615283' }

async function shotBoth(name: string) {
  await window.shot(`settings-${name}-zh`)
  await window.page.getByTestId('language').click()
  await window.shot(`settings-${name}-en`)
  await window.page.getByTestId('language').click()
}

async function open(screen: string) {
  await window.page.locator(`[data-testid=nav][data-screen=${screen}]`).click()
}

async function tab(container: string, name: string) {
  await window.page.locator(`[data-testid=${container}] .el-tabs__item#tab-${name}`).click()
}

async function signInAs(person: { staffId: string; pin: string }, firstPin?: string) {
  const { page } = window
  await page.locator('[data-testid=session-gate][data-mode=sign-in]').waitFor()
  await page.getByTestId('staff-id').fill(person.staffId)
  await page.getByTestId('pin').fill(firstPin ?? person.pin)
  await page.getByTestId('session-submit').click()
  if (firstPin) {
    await page.locator('[data-testid=session-gate][data-mode=change-pin]').waitFor()
    await page.getByTestId('pin').fill(firstPin)
    await page.getByTestId('new-pin').fill(person.pin)
    await page.getByTestId('new-pin-again').fill(person.pin)
    await page.getByTestId('session-submit').click()
  }
  await page.locator('[data-testid=nav]').first().waitFor()
}

async function signOut() {
  await window.page.getByTestId('clinician').click()
  await window.page.getByTestId('sign-out').click()
}

async function addAccount(person: { staffId: string; name: string; temporary: string }, role: string) {
  const { page } = window
  await page.getByTestId('account-add').click()
  const dialog = page.getByTestId('account-add-dialog')
  await page.getByTestId('new-staff-id').fill(person.staffId)
  await page.getByTestId('new-name').fill(person.name)
  // The roles start with doctor ticked: untick it unless it is the one wanted.
  if (role !== 'doctor') {
    await dialog.locator('.el-checkbox').filter({ hasText: /医生|Doctor/ }).click()
    await dialog.locator('.el-checkbox').filter({ hasText: role === 'nurse' ? /护士|Nurse/ : /管理员|Administrator/ }).click()
  }
  await page.getByTestId('new-pin').fill(person.temporary)
  await page.getByTestId('account-add-confirm').click()
  await page.locator(`[data-testid=account-status-${person.staffId}]`).waitFor()
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-settings-e2e-'))
  // IT fixes the idle lock for every workstation; the clinic's name is the workstation's own.
  await writeFile(join(dir, 'hospital.json'), JSON.stringify({ idleLockMinutes: 15 }))
  window = await openHostWindow(dir)
})

afterAll(() => window?.close())

describe('settings', () => {
  it('saves the clinic’s name and departments (the header names the clinic at once) and shows the idle lock fixed by the hospital configuration', async () => {
    const { page } = window
    await open('settings')
    await shotBoth('01-general')
    await tab('settings-tabs', 'clinic')
    const fixed = page.getByTestId('setting-fixed')
    await fixed.waitFor()
    await expect(fixed.textContent()).resolves.toContain(join(dir, 'hospital.json'))
    await expect(page.locator('[data-testid=setting-idle-lock] input').isDisabled()).resolves.toBe(true)
    await page.getByTestId('setting-clinic-name').fill('城东社区卫生服务中心')
    await page.locator('[data-testid=setting-departments] input').fill('全科')
    await page.keyboard.press('Enter')
    await page.locator('[data-testid=setting-departments] input').fill('儿科')
    await page.keyboard.press('Enter')
    await page.getByTestId('clinic-save').click()
    await page.getByTestId('settings-saved').waitFor()
    await page.getByRole('banner').getByText('城东社区卫生服务中心').waitFor()
    // Both departments kept, in the order typed.
    await expect(page.getByTestId('setting-departments').locator('.el-tag').allTextContents()).resolves.toEqual(['全科', '儿科'])
    await shotBoth('02-clinic-admin')
  })

  it('changes a prompt format’s sampling and resets it to the recommendation; the engine settings say when they apply', async () => {
    const { page } = window
    await tab('settings-tabs', 'model')
    await page.locator('[data-testid=sampling-temperature] input').fill('0.8')
    await page.getByTestId('sampling-save').click()
    await page.getByTestId('settings-saved').waitFor()
    const changed = page.getByTestId('sampling-settings').locator('.el-tag')
    await changed.first().waitFor()
    await expect(page.getByTestId('engine-settings').textContent()).resolves.toContain('下次加载模型时')
    await shotBoth('03-model-defaults-admin')
    await page.getByTestId('sampling-reset').click()
    await page.waitForFunction(() => true)
    await expect.poll(() => changed.count()).toBe(0)
    await expect(page.locator('[data-testid=sampling-temperature] input').inputValue()).resolves.toBe('0.30')
  })
})

describe('administration', () => {
  it('adds accounts with a temporary PIN, disables and enables one', async () => {
    const { page } = window
    await open('administration')
    await page.getByTestId('account-table').waitFor()
    await addAccount(NURSE, 'nurse')
    await addAccount(DOCTOR, 'doctor')
    await addAccount(IT, 'admin')
    await expect(page.getByTestId(`account-status-${NURSE.staffId}`).textContent()).resolves.toContain('待改 PIN')
    await page.getByTestId(`account-disable-${DOCTOR.staffId}`).click()
    await page.getByTestId('disable-confirm').click()
    await page.locator(`[data-testid=account-status-${DOCTOR.staffId}][data-status=disabled]`).waitFor()
    await shotBoth('04-accounts')
    await page.getByTestId(`account-enable-${DOCTOR.staffId}`).click()
    await page.locator(`[data-testid=account-status-${DOCTOR.staffId}][data-status=active]`).waitFor()
  })

  it('backs up now, and restores that backup after confirmation: everyone signs in again and the change after it is gone', async () => {
    const { page } = window
    await tab('admin-tabs', 'backups')
    await page.getByTestId('backup-now').click()
    const restore = page.locator('[data-testid^=backup-restore-records-manual-]')
    await restore.first().waitFor()
    await shotBoth('05-backups')
    // A change after the backup.
    await open('settings')
    await tab('settings-tabs', 'clinic')
    await page.getByTestId('setting-clinic-name').fill('备份之后改的名字')
    await page.getByTestId('clinic-save').click()
    await page.getByRole('banner').getByText('备份之后改的名字').waitFor()
    await open('administration')
    await tab('admin-tabs', 'backups')
    await restore.first().click()
    await page.getByTestId('restore-dialog').getByText('恢复前').first().waitFor()
    await window.shot('settings-06-restore-confirm-zh')
    await page.getByTestId('restore-confirm').click()
    await signInAs(testClinician)
    await page.getByRole('banner').getByText('城东社区卫生服务中心').waitFor()
    await open('administration')
    await tab('admin-tabs', 'backups')
    await expect(page.getByTestId('restore-report').textContent()).resolves.toMatch(/records-pre-restore-/)
    // The list is read again when the tab opens: wait for it before counting (under load it comes after the report).
    await page.locator('[data-testid^=backup-restore-records-pre-restore-]').first().waitFor()
    await expect(page.locator('[data-testid^=backup-restore-records-pre-restore-]').count()).resolves.toBe(1)
    await shotBoth('07-restored')
  })

  it('verifies the audit log and shows the access log (ids, never patient text), and the models’ approval', async () => {
    const { page } = window
    await tab('admin-tabs', 'audit')
    await page.getByTestId('audit-verify').click()
    const result = page.locator('[data-testid=audit-result][data-ok=true]')
    await result.waitFor()
    await expect(result.textContent()).resolves.toContain('审计日志完好')
    await shotBoth('08-audit')
    await tab('admin-tabs', 'models')
    await page.getByTestId('admin-open-models').waitFor()
    await shotBoth('09-models')
  })
})

describe('each role', () => {
  it('a nurse and a doctor see the workstation’s settings without changing them; an administrator alone manages', async () => {
    const { page } = window
    for (const [person, role] of [
      [NURSE, 'nurse'],
      [DOCTOR, 'doctor'],
      [IT, 'administrator'],
    ] as const) {
      await signOut()
      await signInAs(person, person.temporary)
      await open('settings')
      await tab('settings-tabs', 'clinic')
      await page.getByTestId('clinic-settings').waitFor()
      if (role === 'administrator') {
        await page.getByTestId('clinic-save').waitFor()
        await shotBoth(`10-${role}-clinic`)
        await open('administration')
        await page.getByTestId('account-table').waitFor()
        await shotBoth(`10-${role}-administration`)
        expect(await page.locator('[data-testid=nav][data-screen=consultation]').count()).toBe(0)
      } else {
        await page.getByTestId('settings-admin-only').waitFor({ state: 'attached' })
        expect(await page.getByTestId('clinic-save').count()).toBe(0)
        await expect(page.getByTestId('setting-clinic-name').isDisabled()).resolves.toBe(true)
        await shotBoth(`10-${role}-clinic`)
        await tab('settings-tabs', 'model')
        await shotBoth(`10-${role}-model-defaults`)
        expect(await page.locator('[data-testid=nav][data-screen=administration]').count()).toBe(0)
      }
    }
  })
})
