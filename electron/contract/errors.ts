// Stable error codes and the sentence a clinician or IT person reads for each, in zh-CN and en.
// Errors cross every process boundary as WorkstationErrorPayload; the codes never change meaning.

export const errorMessages = {
  MODEL_NOT_GGUF: { 'zh-CN': '此文件不是 GGUF 模型文件。', en: 'This file is not a GGUF model.' },
  MODEL_CORRUPT: {
    'zh-CN': '模型文件已损坏或不完整，请重新复制或下载。',
    en: 'The model file is damaged or incomplete; copy or download it again.',
  },
  MODEL_UNSUPPORTED: {
    'zh-CN': '本工作站的推理引擎不支持此模型的架构。',
    en: "This model's architecture is not supported by the workstation's inference engine.",
  },
  MODEL_UNREADABLE: {
    'zh-CN': '无法读取模型文件：文件不存在、是文件夹或没有读取权限。',
    en: 'The model file cannot be read: it is missing, a folder, or not readable.',
  },
  MODEL_PART_MISSING: {
    'zh-CN': '分卷模型缺少部分文件，请把所有分卷放在同一文件夹中。',
    en: 'A part of this split model is missing; put all parts in the same folder.',
  },
  PROMPT_FORMAT_UNKNOWN: {
    'zh-CN': '未知的提示格式。',
    en: 'Unknown prompt format.',
  },
  CONVERSATION_INVALID: {
    'zh-CN': '对话文件格式不正确：应为按病人、模型交替、以病人消息结尾的消息列表。',
    en: 'The conversation file is malformed: it must alternate patient and model messages and end with a patient message.',
  },
  CHAT_TEMPLATE_MISSING: {
    'zh-CN': '此提示格式需要模型自带的对话模板，但没有可用的模板（请指定含模板的模型，或选择其他格式）。',
    en: "This prompt format needs the model's own chat template, and none is available (give a model that has one, or choose another format).",
  },
  CHAT_TEMPLATE_INVALID: {
    'zh-CN': '模型自带的对话模板无法使用，请为此模型选择其他提示格式。',
    en: "The model's own chat template cannot be used; choose another prompt format for this model.",
  },
  SAMPLING_INVALID: {
    'zh-CN': '采样参数超出允许范围。',
    en: 'A sampling setting is out of its allowed range.',
  },
  INPUT_UNREADABLE: {
    'zh-CN': '无法读取指定的文件：文件不存在、是文件夹或没有读取权限。',
    en: 'The given file cannot be read: it is missing, a folder, or not readable.',
  },
  OUTPUT_UNWRITABLE: {
    'zh-CN': '无法写入输出文件：请确认其所在文件夹存在且可写，磁盘空间充足。',
    en: 'The output file cannot be written; check that its folder exists and is writable, and that the disk has space.',
  },
  MODEL_NOT_LOADED: { 'zh-CN': '尚未加载模型，请先选择并加载一个模型。', en: 'No model is loaded; choose and load a model first.' },
  MODEL_TOO_LARGE: {
    'zh-CN': '本机内存不足以按所选上下文长度加载此模型；请减小上下文长度或选择更小的模型。',
    en: 'This machine does not have enough memory for this model at the chosen context size; use a smaller context or a smaller model.',
  },
  MODEL_LOAD_FAILED: { 'zh-CN': '模型加载失败。', en: 'The model could not be loaded.' },
  MODEL_CRASHED: {
    'zh-CN': '推理引擎意外退出，正在生成的回答已保留至中断处；可重新启动引擎。',
    en: 'The inference engine stopped unexpectedly; the answer in progress was kept up to that point. Restart the engine to continue.',
  },
  GPU_FALLBACK: {
    'zh-CN': 'GPU 无法加载模型，已改用 CPU 继续运行（速度较慢）。',
    en: 'The GPU could not run the model; the workstation carries on on the CPU (slower).',
  },
  CONTEXT_FULL: {
    'zh-CN': '这条消息太长，超出了模型的上下文长度；请缩短后再发送。',
    en: "This message is too long for the model's context; shorten it and send it again.",
  },
  CONSULTATION_NOT_OPEN: { 'zh-CN': '此问诊会话未打开。', en: 'This consultation is not open.' },
  NOTHING_TO_REGENERATE: { 'zh-CN': '还没有可以重新生成的回答。', en: 'There is no answer to regenerate yet.' },
  MESSAGE_NOT_FOUND: { 'zh-CN': '找不到要修改的病人消息。', en: 'The patient message to edit was not found.' },
  REQUEST_CANCELLED: { 'zh-CN': '请求已取消。', en: 'The request was cancelled.' },
  SCHEMA_UNBOUNDED: {
    'zh-CN': '结构化输出的模式中每个字符串都必须有最大长度，每个列表都必须有最大条数。',
    en: 'Every string in a structured-output schema needs a maxLength, and every array a maxItems.',
  },
  DRAFT_INCOMPLETE: {
    'zh-CN': '模型生成的草稿不完整（超出长度上限或被停止），未作修补；请重试或手动填写。',
    en: 'The drafted text is incomplete (it ran out of room or was stopped) and was not patched up; try again or fill it in by hand.',
  },
  ENGINE_PROTOCOL: { 'zh-CN': '推理引擎收到了格式错误的请求。', en: 'The inference engine received a malformed request.' },
  DISK_FULL: {
    'zh-CN': '磁盘空间不足，操作未完成；已保存的内容没有丢失。请清理磁盘后重试。',
    en: 'The disk is full, so this was not done; nothing already saved was lost. Free some space and try again.',
  },
  MODEL_NOT_APPROVED: {
    'zh-CN': '此模型不在医院批准的模型清单中，不能导入或使用。请联系信息科。',
    en: "This model is not on the hospital's approved list, so it cannot be imported or used. Contact hospital IT.",
  },
  MODEL_NOT_FOUND: { 'zh-CN': '模型库中没有这个模型。', en: 'There is no such model in the model library.' },
  MODEL_HASH_MISMATCH: {
    'zh-CN': '模型文件的 SHA-256 校验值与预期不符，文件已丢弃；请重新下载或复制。',
    en: 'The model file’s SHA-256 does not match the expected value; the file was discarded. Download or copy it again.',
  },
  CATALOG_ENTRY_UNKNOWN: {
    'zh-CN': '模型目录中没有这个条目；请使用目录编号或 .gguf 文件的完整网址。',
    en: 'The model catalog has no such entry; give a catalog id or the full URL of a .gguf file.',
  },
  NETWORK_OFFLINE: {
    'zh-CN': '无法连接下载服务器（本机可能未联网）。可改用镜像或院内服务器地址，或从 U 盘导入模型。',
    en: 'The download server cannot be reached (this machine may be offline). Use a mirror or the hospital’s server, or import the model from a USB drive.',
  },
  DOWNLOAD_NOT_FOUND: {
    'zh-CN': '下载服务器上没有这个文件（404）；请检查镜像地址和文件名。',
    en: 'The server does not have this file (404); check the mirror address and the file name.',
  },
  DOWNLOAD_IN_PROGRESS: {
    'zh-CN': '已有一个模型正在下载；请等它完成或先取消。',
    en: 'A model is already downloading; wait for it to finish or cancel it first.',
  },
  DOWNLOAD_STALLED: {
    'zh-CN': '下载服务器长时间没有响应，下载已暂停；再次运行相同命令可从中断处继续。',
    en: 'The download server stopped responding, so the download was paused; run the same command again to resume.',
  },
  DOWNLOAD_FAILED: {
    'zh-CN': '下载失败，已下载的部分已保留；再次运行相同命令可从中断处继续。',
    en: 'The download failed; what was downloaded is kept, and running the same command again resumes it.',
  },
  DOWNLOAD_NAME_UNSAFE: {
    'zh-CN': '下载地址中的文件名不安全（含路径分隔符、“..”、控制字符或过长），未下载任何内容；请使用模型目录编号或普通的 .gguf 文件地址。',
    en: 'The file name in the download address is not safe (a path separator, “..”, a control character, or too long); nothing was downloaded. Use a catalog id or a plain .gguf address.',
  },
  DOWNLOADS_DISABLED: {
    'zh-CN': '医院配置已关闭模型下载；请从 U 盘或共享文件夹导入模型，或联系信息科。',
    en: 'Model downloads are switched off by the hospital configuration; import the model from a drive or share, or contact hospital IT.',
  },
  CONFIRMATION_REQUIRED: {
    'zh-CN': '此操作需要确认。',
    en: 'This needs to be confirmed.',
  },
  CONFIG_INVALID: {
    'zh-CN': '医院配置文件格式不正确。',
    en: 'The hospital configuration file is malformed.',
  },
  DB_TOO_NEW: {
    'zh-CN': '此记录数据库由更新版本的工作站写入，本版本无法打开；文件未作任何改动。请升级工作站。',
    en: 'This record database was written by a newer version of the workstation and cannot be opened by this one; it was not changed. Upgrade the workstation.',
  },
  DB_CORRUPT: {
    'zh-CN': '记录数据库已损坏，已原样保留、未作改动；请从最新的备份恢复（备份见详情）。',
    en: 'The record database is damaged and was left untouched; restore the newest backup (named in the details).',
  },
  DB_NETWORK_SHARE: {
    'zh-CN': '数据文件夹位于网络共享上，而数据库的预写日志（WAL）需要本机磁盘；请把数据文件夹放到本机磁盘上。',
    en: "The data folder is on a network share, and the database's write-ahead log (WAL) needs a local disk; move the data folder to a local disk.",
  },
  DB_NOT_WORKSTATION: {
    'zh-CN': '此文件不是工作站的记录数据库，未作任何改动。',
    en: 'This file is not a workstation record database; it was not changed.',
  },
  DB_UNAVAILABLE: {
    'zh-CN': '无法打开记录数据库：文件或文件夹不存在，或没有读写权限。',
    en: 'The record database cannot be opened: the file or its folder is missing, or not readable and writable.',
  },
  DB_LOCKED: {
    'zh-CN': '记录数据库正被另一个程序写入，请稍后重试。',
    en: 'Another program is writing to the record database; try again in a moment.',
  },
  RECORD_SIGNED: {
    'zh-CN': '此门诊病历已签名，不能修改或删除；如需更正，请注明理由后追加修订。',
    en: 'This outpatient record is signed and cannot be edited or deleted; to correct it, add an amendment with a reason.',
  },
  RECORD_TAMPERED: {
    'zh-CN': '此已签名病历的内容与签名时记录的哈希不一致：数据库中的病历被改动过。已拒绝显示或导出，并记入审计日志；请联系信息科核查并从备份恢复。',
    en: 'This signed record no longer matches the hash recorded when it was signed: it was altered in the database. It was not shown or exported, and this was logged; ask IT to investigate and restore it from a backup.',
  },
  RECORD_NOT_SIGNED: {
    'zh-CN': '此门诊病历尚未签名，签名后才能导出。',
    en: 'This outpatient record is not signed yet; sign it before exporting it.',
  },
  AMENDMENT_REASON_REQUIRED: {
    'zh-CN': '修订已签名的病历时必须填写修订理由。',
    en: 'An amendment to a signed record needs a reason.',
  },
  RECORD_INCOMPLETE: {
    'zh-CN': '病历缺少必填内容（主诉、初步诊断），填写后才能签名。',
    en: 'The record is missing required content (chief complaint, diagnosis); fill it in before signing.',
  },
  RECORD_FILE_INVALID: {
    'zh-CN': '病历文件格式不正确，详情中指出了出错的字段。',
    en: 'The record file is malformed; the details name the field.',
  },
  CONSULTATION_EMPTY: {
    'zh-CN': '此问诊还没有对话内容，无法起草病历；请直接填写。',
    en: 'This consultation has nothing said in it yet, so there is nothing to draft from; write the record by hand.',
  },
  EXPORT_TARGET_EXISTS: {
    'zh-CN': '导出的目标文件已存在，未覆盖；请换一个文件名，或先移走原文件。',
    en: 'The export file already exists and was not overwritten; choose another name or move the existing file first.',
  },
  PDF_RENDERER_UNAVAILABLE: {
    'zh-CN': '无法生成 PDF：找不到用于排版打印的浏览器组件（Chromium）。可改为导出 Markdown 或纯文本。',
    en: 'The PDF cannot be made: the browser component used for printing (Chromium) was not found. Export Markdown or plain text instead.',
  },
  PATIENT_NOT_FOUND: { 'zh-CN': '找不到该病人。', en: 'The patient was not found.' },
  PATIENT_EXISTS: { 'zh-CN': '已有病人使用这个门诊号。', en: 'A patient with this clinic number is already registered.' },
  CONSULTATION_NOT_FOUND: { 'zh-CN': '找不到该问诊。', en: 'The consultation was not found.' },
  CONSULTATION_EXISTS: { 'zh-CN': '已有相同编号的问诊记录。', en: 'A consultation with this id already exists.' },
  CONSULTATION_IN_TRASH: {
    'zh-CN': '此问诊在回收站中；请先恢复，再继续记录。',
    en: 'This consultation is in the trash; restore it before adding to it.',
  },
  NOTE_NOT_FOUND: { 'zh-CN': '找不到该医生备注。', en: 'The clinician note was not found.' },
  RECORD_NOT_FOUND: { 'zh-CN': '找不到该门诊病历。', en: 'The outpatient record was not found.' },
  EVIDENCE_NOT_FOUND: {
    'zh-CN': '找不到这条出处链接（可能已被移除或已被重新起草替换），请刷新病历。',
    en: 'That source link was not found (it may have been removed or replaced by a new draft); reload the record.',
  },
  RED_FLAG_NOT_FOUND: { 'zh-CN': '找不到该危急提示。', en: 'The red flag was not found.' },
  ANSWER_NOT_IN_PROGRESS: {
    'zh-CN': '这条回答已经结束，不能再写入。',
    en: 'This answer has already ended and cannot be written to.',
  },
  ACTOR_REQUIRED: {
    'zh-CN': '此操作需要注明操作人（医生编号）。',
    en: 'This action needs the id of the person doing it.',
  },
  SEARCH_QUERY_EMPTY: { 'zh-CN': '请输入要搜索的内容。', en: 'Type something to search for.' },
  CURSOR_INVALID: {
    'zh-CN': '翻页位置无效或不属于本次搜索，请从第一页重新开始。',
    en: 'The page position is invalid or belongs to another search; start again from the first page.',
  },
  IMPORT_LINE_INVALID: {
    'zh-CN': '导入文件中的这一行格式不正确，已跳过，未导入其中任何内容。',
    en: 'This line of the import file is malformed; it was skipped and nothing from it was imported.',
  },
  BACKUP_CORRUPT: {
    'zh-CN': '备份文件已损坏或不是工作站的记录数据库，未执行恢复，当前数据库保持不变。',
    en: 'The backup file is damaged or is not a workstation record database; nothing was restored and the current database is unchanged.',
  },
  BACKUP_COPY_FAILED: {
    'zh-CN': '数据库已备份到数据文件夹，但未能复制到第二备份位置（医院配置 backupDir）；请检查该位置（例如另一块磁盘）是否已连接且可写。',
    en: 'The database was backed up in the data folder, but the copy to the second backup place (hospital configuration backupDir) failed; check that the place (e.g. another disk) is connected and writable.',
  },
  BACKUP_NOT_FOUND: {
    'zh-CN': '备份列表中没有这个备份文件（可能已被清理）；请刷新列表后重新选择。',
    en: 'That backup is not in the list of backups (it may have been pruned); refresh the list and choose again.',
  },
  RESTORE_IN_PROGRESS: {
    'zh-CN': '正在从备份恢复记录数据库，请稍候；恢复完成后需要重新登录。',
    en: 'The record database is being restored from a backup; wait a moment, then sign in again.',
  },
  RESTORE_BUSY: {
    'zh-CN': '工作站仍有正在进行的工作（例如病历草稿生成或导出），未执行恢复；请待其结束后再试。',
    en: 'Work is still in progress on the workstation (e.g. a record draft or an export), so nothing was restored; try again when it has finished.',
  },
  SETTING_FIXED_BY_HOSPITAL: {
    'zh-CN': '此设置由医院配置文件统一规定，不能在工作站上修改；如需更改请联系信息科。',
    en: 'This setting is fixed by the hospital configuration and cannot be changed at the workstation; ask IT to change it.',
  },
  DATA_FOLDER_EXPOSED: {
    'zh-CN': '数据文件夹可被本机其他用户读取（见详情）；请让信息科按说明书“安全”一节设置其访问权限，只允许使用工作站的临床人员账号访问。',
    en: "The data folder can be read by other users of this computer (see the details); ask IT to set its permissions as the README's Security section describes, so that only the clinicians' accounts can open it.",
  },
  AUDIT_CHAIN_BROKEN: {
    'zh-CN': '审计日志的哈希链在所示条目处断开：该条目或其前后的记录被改动过。',
    en: 'The audit log’s hash chain breaks at the entry shown: that entry, or one next to it, was altered.',
  },
  AUDIT_TRUNCATED: {
    'zh-CN': '审计日志比工作站记下的链头短：最新的审计条目已从数据库中删除。为保全证据，工作站不会在此数据库上继续写入；请联系信息科用 huatuo audit verify 核查，并恢复备份或由管理员登记这一缺失。',
    en: 'The audit log is shorter than the chain head the workstation anchored: its newest entries were removed from the database. To preserve the evidence the workstation will not write to this database; ask IT to check it with huatuo audit verify, then restore a backup or have an administrator record the gap.',
  },
  AUDIT_ANCHOR_INVALID: {
    'zh-CN': '审计密钥旁的链头锚点文件无法用审计密钥验证：它被改动过，或属于另一把密钥。请联系信息科核查。',
    en: "The audit chain's head anchor beside the audit key does not verify with that key: it was altered, or belongs to another key. Ask IT to investigate.",
  },
  FORBIDDEN: { 'zh-CN': '无权执行此操作。', en: 'This is not allowed.' },
  NOT_SIGNED_IN: { 'zh-CN': '请先用工号和 PIN 登录。', en: 'Sign in with your staff id and PIN first.' },
  SESSION_LOCKED: {
    'zh-CN': '工作站已锁定，请输入 PIN 解锁，或切换用户。',
    en: 'The workstation is locked; enter your PIN to unlock it, or switch user.',
  },
  PIN_WRONG: { 'zh-CN': '工号或 PIN 不正确。', en: 'The staff id or PIN is wrong.' },
  PIN_RETRY_LATER: {
    'zh-CN': 'PIN 错误次数过多，请稍候再试（等待时间见详情）。',
    en: 'Too many wrong PINs; wait a moment before trying again (the wait is in the details).',
  },
  ACCOUNT_LOCKED: {
    'zh-CN': 'PIN 连续输错次数过多，此账号已锁定；请联系管理员解锁。',
    en: 'This account is locked after too many wrong PINs; ask an administrator to unlock it.',
  },
  ACCOUNT_DISABLED: { 'zh-CN': '此账号已停用；如需恢复请联系管理员。', en: 'This account is disabled; ask an administrator if it should be enabled again.' },
  PIN_TOO_WEAK: {
    'zh-CN': 'PIN 太简单：请使用 6–12 位数字（不能全部相同或连续，也不能与工号相同），或至少 8 个字符的密码。',
    en: 'The PIN is too easy to guess: use 6–12 digits (not all the same, not a run such as 123456, not the staff id), or a password of at least 8 characters.',
  },
  PIN_WRONG_LENGTH: {
    'zh-CN': 'PIN 的长度不对：请使用 6–12 位数字，或至少 8 个字符的密码。',
    en: 'The PIN is the wrong length: use 6–12 digits, or a password of at least 8 characters.',
  },
  PIN_MISMATCH: { 'zh-CN': '两次输入的 PIN 不一致。', en: 'The two PINs entered do not match.' },
  PIN_CHANGE_REQUIRED: {
    'zh-CN': '管理员已重置您的 PIN，请先设置新的 PIN。',
    en: 'An administrator reset your PIN; choose a new PIN first.',
  },
  CLINICIAN_NOT_FOUND: { 'zh-CN': '没有这个工号的账号。', en: 'There is no account with this staff id.' },
  CLINICIAN_EXISTS: {
    'zh-CN': '已有账号使用这个工号（停用的账号也保留工号，不能重复使用）。',
    en: 'An account already has this staff id (disabled accounts keep theirs; staff ids are never reused).',
  },
  STAFF_ID_INVALID: {
    'zh-CN': '工号只能由字母、数字和 . _ - 组成，最长 32 个字符。',
    en: 'A staff id is letters, digits and . _ - only, at most 32 characters.',
  },
  LAST_ADMIN: {
    'zh-CN': '这是最后一个可用的管理员账号，不能停用；请先添加另一个管理员。',
    en: 'This is the last usable administrator account, so it cannot be disabled; add another administrator first.',
  },
  FIRST_ADMIN_NEEDED: {
    'zh-CN': '工作站还没有账号：请先创建管理员账号。',
    en: 'The workstation has no accounts yet: create the administrator account first.',
  },
  OS_USER_NOT_MAPPED: {
    'zh-CN': '医院配置中没有把当前系统用户对应到任何账号；请用工号和 PIN 登录。',
    en: 'The hospital configuration maps this operating-system user to no account; sign in with your staff id and PIN.',
  },
  AUDIT_KEY_EXPOSED: {
    'zh-CN': '审计密钥文件可被其他用户读取或不属于当前用户，已拒绝使用；请设为仅所有者可读写（chmod 600）。',
    en: 'The audit key file can be read by other users or belongs to someone else, so it was not used; make it readable only by its owner (chmod 600).',
  },
  AUDIT_KEY_INVALID: {
    'zh-CN': '审计密钥文件格式不正确，已拒绝使用；请从备份恢复该文件。',
    en: 'The audit key file is malformed and was not used; restore it from its backup.',
  },
  AUDIT_KEY_UNAVAILABLE: {
    'zh-CN': '无法读取或创建审计密钥：请检查密钥文件夹是否存在且可写。',
    en: 'The audit key cannot be read or created; check that its folder exists and is writable.',
  },
  RENDERER_NOT_BUILT: {
    'zh-CN': '尚未构建工作站界面文件；请先在工作站源码目录运行 npm run build。',
    en: "The workstation's window files have not been built; run npm run build in the workstation's source folder first.",
  },
  HOST_NOT_LOOPBACK: {
    'zh-CN': '浏览器主机只能监听本机回环地址（127.0.0.1、::1 或 localhost），以免病历暴露在网络上。',
    en: "The browser host listens only on this machine's loopback address (127.0.0.1, ::1 or localhost), so that no record is exposed on the network.",
  },
  HOST_PORT_IN_USE: {
    'zh-CN': '该端口已被占用；请换一个端口，或不指定端口，由系统自动选择。',
    en: 'That port is already in use; choose another one, or leave the port out and let the system choose.',
  },
  IMPORT_FOLDER_UNSET: {
    'zh-CN': '信息科尚未配置模型导入文件夹（医院配置 importDir）；请把模型文件交给信息科导入。',
    en: 'IT has not configured a model import folder (hospital configuration importDir); give the model file to IT to import.',
  },
  IMPORT_FOLDER_UNREADABLE: {
    'zh-CN': '无法读取模型导入文件夹：它不存在或没有读取权限。请联系信息科检查 importDir。',
    en: 'The model import folder cannot be read: it is missing or not readable. Ask IT to check importDir.',
  },
  IMPORT_FILE_NOT_OFFERED: {
    'zh-CN': '所选文件不在模型导入文件夹的列表中；请刷新列表后重新选择。',
    en: 'The chosen file is not among those in the model import folder; refresh the list and choose again.',
  },
  HOST_TOKEN_MISSING: {
    'zh-CN': '此页面没有访问令牌；请打开 huatuo serve 启动时显示的完整地址（以 #token= 结尾）。',
    en: 'This page has no access token; open the full address that huatuo serve printed when it started (ending in #token=…).',
  },
  HOST_CONNECTION_LOST: {
    'zh-CN': '与工作站的连接已断开；请刷新页面后重试。',
    en: 'The connection to the workstation was lost; reload the page and try again.',
  },
  CONTRACT_UNKNOWN_REQUEST: { 'zh-CN': '工作站不认识这个请求。', en: 'The workstation does not know this request.' },
  CONTRACT_INVALID_INPUT: { 'zh-CN': '请求的内容格式不正确，已拒绝。', en: 'The request was malformed and was refused.' },
  USAGE: { 'zh-CN': '命令用法不正确。', en: 'The command was used incorrectly.' },
  TRIAGE_FILE_INVALID: {
    'zh-CN': '标注文件无法读取或格式不正确：每行应为一个 JSON 对象 {"text": …, "expect": {"类别": "emergency" 或 "urgent"}}（详情中有文件或出错的行号）。',
    en: 'The labelled file cannot be read or is not valid: each line must be a JSON object {"text": …, "expect": {"category": "emergency" or "urgent"}} (the details name the file or the line).',
  },
  DATASET_UNREADABLE: {
    'zh-CN': '无法读取评测数据集：文件或文件夹不存在，或没有读取权限（详情中有路径）。',
    en: 'The evaluation dataset cannot be read: the file or folder is missing or not readable (the details name the path).',
  },
  DATASET_INVALID: {
    'zh-CN': '评测数据集与所选格式不符：缺少必需的列或字段，或没有一条可用的题目（详情中有文件和行号）。请检查所选的数据集格式。',
    en: 'The evaluation dataset does not match the chosen format: a required column or field is missing, or no item is usable (the details name the file and line). Check the chosen dataset format.',
  },
  EVALUATION_RUN_MISMATCH: {
    'zh-CN': '输出文件夹中已有另一次评测（模型、数据集、提示格式、采样参数或随机种子不同），为免混淆未继续；请换一个输出文件夹。',
    en: 'The output folder holds another run (a different model, dataset, prompt format, sampling or seed); nothing was mixed into it. Choose another output folder.',
  },
  EVALUATION_RUN_DAMAGED: {
    'zh-CN': '输出文件夹中的评测记录已损坏（run.json 无法读取，或 predictions.jsonl 中间有无法解析的行）；已完成的条目未被改动。请检查该文件夹或换一个输出文件夹。',
    en: 'The run in the output folder is damaged (run.json cannot be read, or a line inside predictions.jsonl does not parse); finished items were left untouched. Check the folder or choose another one.',
  },
  EVALUATION_RUNNING: {
    'zh-CN': '已有一次评测正在运行；请等它结束或先取消它。',
    en: 'An evaluation run is already going; wait for it to end or cancel it first.',
  },
  EVALUATION_MODEL_CHANGED: {
    'zh-CN': '评测途中加载了另一个模型（或模型已卸载），评测已停止，以免混入另一个模型的回答；已完成的题目已保留。',
    en: 'Another model was loaded (or the model unloaded) during the run; the run stopped so that no answer of another model is mixed in. Finished items are kept.',
  },
  EVALUATION_DATASET_NOT_OFFERED: {
    'zh-CN': '评测文件夹中没有这个数据集；请从列表中选择（由信息科放入医院配置 evaluationDataDir 指定的文件夹）。',
    en: 'The evaluation folder holds no such dataset; choose one from the list (IT puts them in the folder named by evaluationDataDir in the hospital configuration).',
  },
  EVALUATION_RUN_NOT_FOUND: {
    'zh-CN': '找不到这次评测；它可能已被信息科移走。',
    en: 'This evaluation run cannot be found; IT may have moved it.',
  },
  PREDICTIONS_EMPTY: {
    'zh-CN': '预测文件中没有可评分的条目：每行应为 huatuo eval run 写出的一个 JSON 对象（详情中有出错的行号）。',
    en: 'The predictions file holds nothing to score: each line must be one JSON object as huatuo eval run writes it (the details name the lines that are not).',
  },
  REVIEW_RUN_NOT_FOUND: {
    'zh-CN': '找不到要比较的评测：该文件夹不存在，或其中没有 run.json 与 predictions.jsonl（详情中有名称）。',
    en: 'A run to compare cannot be found: its folder is missing, or holds no run.json and predictions.jsonl (the details name it).',
  },
  REVIEW_RUN_UNFINISHED: {
    'zh-CN': '要比较的评测仍在进行中；请等它结束（或取消它）后再准备盲评，以免两次评测的回答在评审期间变化。',
    en: 'A run to compare is still running; wait until it ends (or cancel it) before preparing the review, so that its answers do not change under the reviewers.',
  },
  REVIEW_DATASETS_DIFFER: {
    'zh-CN': '两次评测使用的数据集不同（数据集文件的 SHA-256 不一致），不能放在一起盲评；请选择同一数据集上的两次评测。',
    en: 'The two runs used different datasets (the dataset files’ SHA-256 differ) and cannot be reviewed side by side; choose two runs over the same dataset.',
  },
  REVIEW_SAME_RUN: {
    'zh-CN': '两次评测的预测完全相同（同一个 predictions.jsonl），盲评没有意义；请选择两次不同的评测。',
    en: 'Both runs have the very same predictions (one predictions.jsonl); a blind review would mean nothing. Choose two different runs.',
  },
  REVIEW_NO_COMMON_ITEMS: {
    'zh-CN': '两次评测没有共同回答过的题目（相同编号且相同题干），无法盲评。',
    en: 'The two runs answered no question in common (same id and same question text); there is nothing to review.',
  },
  REVIEW_NOT_FOUND: { 'zh-CN': '找不到这个盲评；请刷新列表。', en: 'This review cannot be found; refresh the list.' },
  REVIEW_DAMAGED: {
    'zh-CN': '盲评文件夹中的文件已损坏或被改动（review.json、key.json 或评判记录无法读取）；已有评判未被改动。',
    en: 'A file in the review’s folder is damaged or was altered (review.json, key.json or the judgements cannot be read); existing judgements were left untouched.',
  },
  REVIEW_RUN_NOT_IN_REVIEW: {
    'zh-CN': '这个盲评比较的不是此次评测：预测文件的 SHA-256 与盲评中的 A、B 两次评测都不一致（预测文件在盲评准备后被改动，或选错了盲评）。',
    en: 'This review does not compare this run: the predictions file’s SHA-256 matches neither run A nor run B of the review (the predictions changed after the review was prepared, or it is another review).',
  },
  REVIEW_ITEM_NOT_FOUND: { 'zh-CN': '此盲评中没有这道题目。', en: 'This review has no such item.' },
  REVIEW_ALREADY_JUDGED: {
    'zh-CN': '您已评判过这道题目，每位评审者每题只评判一次。',
    en: 'You have already judged this item; each reviewer judges an item once.',
  },
  REVIEW_RESULT_HIDDEN: {
    'zh-CN': '请先评判完此盲评的全部题目，再查看结果（以免结果影响您的评判）。',
    en: 'Judge every item of this review first, then see the result (so that the result cannot sway your judgements).',
  },
  REMOTE_INSECURE_URL: {
    'zh-CN': '医院推理服务器的地址必须以 https:// 开头（仅本机地址可用 http://）；请信息科修改医院配置中的服务器地址。',
    en: 'The hospital inference server address must start with https:// (http:// is allowed only on this machine); IT must correct the server address in the hospital configuration.',
  },
  REMOTE_UNREACHABLE: {
    'zh-CN': '无法连接医院推理服务器（连接被拒绝或网络中断）；请稍后重试，或改用本机模型，并通知信息科。',
    en: 'The hospital inference server cannot be reached (the connection was refused or the network is down); try again later or use the local model, and tell IT.',
  },
  REMOTE_DNS_FAILED: {
    'zh-CN': '找不到医院推理服务器的地址（域名无法解析）；请检查网络，或请信息科核对医院配置中的服务器地址。',
    en: 'The hospital inference server’s name cannot be found (DNS); check the network, or ask IT to check the server address in the hospital configuration.',
  },
  REMOTE_CONNECT_TIMEOUT: {
    'zh-CN': '连接医院推理服务器超时；服务器可能繁忙或网络不通，请稍后重试或改用本机模型。',
    en: 'Connecting to the hospital inference server timed out; it may be busy or the network blocked. Try again later or use the local model.',
  },
  REMOTE_STALLED: {
    'zh-CN': '医院推理服务器长时间没有继续回答；已收到的部分回答已保留，请重试或改用本机模型。',
    en: 'The hospital inference server stopped sending the answer for too long; any part already received was kept. Try again or use the local model.',
  },
  REMOTE_TLS_FAILED: {
    'zh-CN': '医院推理服务器的证书无法验证；请信息科检查服务器证书和医院配置中的 CA 证书文件。',
    en: 'The hospital inference server’s certificate could not be verified; IT must check the server certificate and the CA file in the hospital configuration.',
  },
  REMOTE_UNAUTHORIZED: {
    'zh-CN': '医院推理服务器拒绝了本工作站（API 密钥缺失、错误或无权限）；请通知信息科更新密钥。',
    en: 'The hospital inference server refused this workstation (the API key is missing, wrong, or not allowed); ask IT to renew the key.',
  },
  REMOTE_MODEL_NOT_FOUND: {
    'zh-CN': '医院推理服务器上没有配置中指定的模型（或地址错误）；请信息科核对模型名称和服务器地址。',
    en: 'The hospital inference server does not serve the configured model (or the address is wrong); IT must check the model name and server address.',
  },
  REMOTE_RATE_LIMITED: {
    'zh-CN': '医院推理服务器当前请求过多；请稍等片刻再发送（详情中有建议等待的秒数）。',
    en: 'The hospital inference server has too many requests right now; wait a moment and send again (the details give the suggested wait in seconds).',
  },
  REMOTE_SERVER_ERROR: {
    'zh-CN': '医院推理服务器出错或暂不可用；已收到的部分回答已保留，请稍后重试或改用本机模型，并通知信息科。',
    en: 'The hospital inference server failed or is unavailable; any part of the answer already received was kept. Try again later or use the local model, and tell IT.',
  },
  REMOTE_REJECTED: {
    'zh-CN': '医院推理服务器拒绝了这次请求（参数不被支持）；请通知信息科检查服务器类型与医院配置是否一致。',
    en: 'The hospital inference server rejected this request (a setting it does not support); ask IT to check that the server type matches the hospital configuration.',
  },
  REMOTE_STREAM_CUT: {
    'zh-CN': '与医院推理服务器的连接在回答途中中断；已收到的部分回答已保留为“中断”，可重新生成。',
    en: 'The connection to the hospital inference server broke off during the answer; the part received was kept as interrupted, and you can regenerate it.',
  },
  REMOTE_MALFORMED: {
    'zh-CN': '医院推理服务器发来了无法识别的数据；已收到的部分回答已保留，请通知信息科检查服务器类型与版本。',
    en: 'The hospital inference server sent data the workstation cannot read; any part received was kept. Ask IT to check the server type and version.',
  },
  REMOTE_NOT_CONFIGURED: {
    'zh-CN': '医院配置中没有推理服务器；只能使用本机模型。如需使用服务器，请信息科在医院配置中填写 remoteEngine。',
    en: 'The hospital configuration names no inference server, so only the local model can be used; IT must add remoteEngine to the hospital configuration to use one.',
  },
  REMOTE_KEY_UNREADABLE: {
    'zh-CN': '无法读取医院推理服务器的 API 密钥文件（不存在、无法读取，或除所有者外他人也可读取）；请信息科检查医院配置中的密钥文件及其权限。',
    en: 'The hospital inference server’s API key file cannot be used (missing, unreadable, or readable by others than its owner); IT must check the key file named in the hospital configuration and its permissions.',
  },
  REMOTE_CA_UNREADABLE: {
    'zh-CN': '无法读取医院配置中的 CA 证书文件（不存在或不是 PEM 证书）；请信息科检查该文件。',
    en: 'The CA certificate file named in the hospital configuration cannot be read (missing, or not a PEM certificate); IT must check the file.',
  },
  INTERNAL: { 'zh-CN': '工作站内部错误。', en: 'Internal workstation error.' },
} as const satisfies Record<string, { 'zh-CN': string; en: string }>

export type ErrorCode = keyof typeof errorMessages
export type UiLocale = 'zh-CN' | 'en'

/** Facts a caller can act on (e.g. MODEL_TOO_LARGE's largestContextSize); never clinical text. */
export type ErrorData = Record<string, string | number | boolean | null>

export interface WorkstationErrorPayload {
  code: ErrorCode
  message: string
  detail?: string
  data?: ErrorData
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorMessages, value)
}
