/**
 * The clauses of the service norms (中国联通服务管理规范 1.0, 2009, `seed/service-norms-1.0-2009.txt`) that the
 * code and its pages cite, in words: a reference such as "2§3.5.2" (chapter 2, section 3.5.2) is shown with
 * its title and what it says. A test holds that every clause cited anywhere in the code base is here.
 */
import type { Words } from './words.ts';

export interface Clause {
  title: Words;
  /** What the clause asks, in short. */
  text: Words;
}

export const CLAUSES: Record<string, Clause> = {
  '1§1.3': {
    title: { zh: '适用范围', en: 'Scope' },
    text: {
      zh: '本规范适用于各省、地市分公司所属 3G 品牌店、自助服务店、营业厅、客服中心、俱乐部、客户经理和电子渠道的服务管理，是评价、监督、考核和挂牌的依据。',
      en: 'The norms apply to the brand stores, self-service stores, halls, service centres, club, account managers and e-channels of every province and city; they are the basis of assessment and of the service mark.',
    },
  },
  '2§1.2': {
    title: { zh: '岗位服务工作要求', en: 'Duties of the positions' },
    text: {
      zh: '营业厅的管理类、后台类和前台类岗位及其工作要求。',
      en: 'The management, back-office and front-desk positions of a hall and what each must do.',
    },
  },
  '2§2.1': {
    title: { zh: '业务受理种类', en: 'Kinds of business accepted' },
    text: {
      zh: '营业厅受理的业务：业务办理、销售、咨询、查询、投诉、挽留、终端检测维修。',
      en: 'What a hall accepts: business, sales, consultation, queries, complaints, retention, device check and repair.',
    },
  },
  '2§2.1.1': {
    title: { zh: '业务办理', en: 'Business' },
    text: {
      zh: '营业厅办理移动、固网、增值、集团行业应用等业务（开户、过户、补换卡、套餐变更、缴费、销号等）。',
      en: 'A hall handles mobile, fixed-line, value-added and group business (new account, transfer, SIM replacement, plan change, payment, cancellation …).',
    },
  },
  '2§2.1.2': {
    title: { zh: '销售', en: 'Sales' },
    text: {
      zh: '各类移动终端、有价卡以及移动、固网、增值业务的销售。',
      en: 'Sales of handsets, value cards and mobile, fixed-line and value-added services.',
    },
  },
  '2§2.1.3': {
    title: { zh: '咨询', en: 'Consultation' },
    text: {
      zh: '介绍公司、资费标准、业务、办理方法、网络及漫游、新业务和服务内容等。',
      en: 'Information on the company, tariffs, services, how to apply, network and roaming, new services.',
    },
  },
  '2§2.1.6': {
    title: { zh: '客户离网挽留', en: 'Retention of leaving customers' },
    text: {
      zh: '对拟离网客户进行挽留关怀，按公司营业服务管理规范的流程受理。',
      en: 'Customers about to leave are offered retention, by the company’s procedure.',
    },
  },
  '2§2.2': {
    title: { zh: '业务受理规范', en: 'Accepting business' },
    text: {
      zh: '营业厅受理业务须核验客户身份，一台清（一次在一个台席办完全部业务）、一单清（一张受理单列明全部业务与费用，客户签字确认）、免填单（由营业员录入，客户不填写表单）。',
      en: 'A hall checks the customer’s identity, serves all their business at one counter, lists it with its fees on one document the customer signs once, and fills in the forms for them.',
    },
  },
  '2§2.2.1': {
    title: { zh: '身份证件核实', en: 'Identity check' },
    text: {
      zh: '在营业厅办理业务均须持有效证件或服务密码（初始密码除外）；新入网须有效证件并留存复印件。',
      en: 'Every transaction needs a valid ID document or the service password (not the initial one); a new subscriber needs a valid ID and a copy is kept.',
    },
  },
  '2§2.2.2': {
    title: { zh: '资料稽核、单据确认', en: 'Data check and signed documents' },
    text: {
      zh: '免填单、一台清、一单清；所有服务单据最终由客户签字确认。',
      en: 'Form-free, one counter, one document: every service document is signed by the customer.',
    },
  },
  '2§3.2.1': {
    title: { zh: '营业时间', en: 'Opening hours' },
    text: {
      zh: '营业厅每天营业时间不得低于 10 小时，节假日不休息。',
      en: 'A hall is open at least 10 hours a day, holidays included.',
    },
  },
  '2§3.2.4': {
    title: { zh: '现场布置与秩序', en: 'Floor layout and order' },
    text: {
      zh: '设综合受理、咨询投诉、休息、VIP 和 3G 专区（席）；客户较多时台席不得暂停服务。',
      en: 'Areas for business, consultation and complaints, waiting, VIP and 3G; no counter pauses service while many customers wait.',
    },
  },
  '2§3.2.7': {
    title: { zh: '突发事件应急保障', en: 'Incidents and peaks' },
    text: {
      zh: '系统故障、网络故障、停电、安全事件等的应急处理；高峰时预登记、预受理。',
      en: 'Response to system or network failure, power cuts and safety events; pre-registration and pre-acceptance at peaks.',
    },
  },
  '2§3.4.3': {
    title: { zh: '退费、减免和赠款管理', en: 'Refunds, waivers and credits' },
    text: {
      zh: '由专人负责，严格审批和核查；限额内营业厅经理审批，超限额报上级审批，单据每日交稽核。',
      en: 'Handled by a named person with strict approval: the hall manager within the hall’s limit, the superior above it; documents go to the auditor daily.',
    },
  },
  '2§3.5.2': {
    title: { zh: '信息安全', en: 'Information security' },
    text: {
      zh: '营业员严格按授权操作；不得泄露客户资料、系统数据和密码，不得窥探客户隐私；操作密码定期更换。',
      en: 'Staff act only within their authorisation; never disclose customer data, system data or passwords, never pry into privacy; operator passwords are changed regularly.',
    },
  },
  '2§3.6': {
    title: { zh: '客户资料管理', en: 'Customer data' },
    text: {
      zh: '客户资料须完整、及时、准确录入，差错须纠正；代理商发展的业务须按时返档。',
      en: 'Customer data is entered complete, on time and correct, errors are corrected, and agents return the documents of the business they sell on time.',
    },
  },
  '2§3.6.2': {
    title: { zh: '客户资料完整及时率', en: 'Customer data complete and on time' },
    text: {
      zh: '客户资料完整及时率 100%：录入的客户资料量 / 应录入的客户资料量。',
      en: '100% of customer records complete and on time: records entered / records due.',
    },
  },
  '2§3.6.3': {
    title: { zh: '客户资料差错率', en: 'Customer data error rate' },
    text: {
      zh: '客户资料差错率小于 1%：错误的客户资料量 / 录入的客户资料量。',
      en: 'Under 1% wrong customer records: wrong records / records entered.',
    },
  },
  '2§3.6.4': {
    title: { zh: '代理销售客户资料返档及时率', en: 'Agent-sold data returned on time' },
    text: {
      zh: '代理销售客户资料返档及时率 100%：代销商返档量 / 代销商发展业务量。',
      en: '100% of agent-sold records returned: records returned / business the agents developed.',
    },
  },
  '2§3.6.5': {
    title: { zh: '办理时长', en: 'Waiting and handling time' },
    text: {
      zh: '客户等候不超过 30 分钟，VIP 和 3G 客户不超过 5 分钟；单笔业务办理不超过 10 分钟。',
      en: 'A customer waits at most 30 minutes, VIP and 3G customers at most 5; one transaction takes at most 10 minutes.',
    },
  },
  '2§3.6.6': {
    title: { zh: '其他服务', en: 'Other services' },
    text: {
      zh: '提供免填单、一台清、一单清服务；为 3G VIP、世界风俱乐部钻石卡和金卡会员提供业务预约办理。',
      en: 'Form-free, one-counter and one-document service; appointments for 3G VIP customers and the club’s diamond and gold members.',
    },
  },
  '2§3.7': {
    title: { zh: '营业厅指标和标准', en: 'Hall indicators and standards' },
    text: {
      zh: '营业厅达标检查的各项指标（运营指标、服务标准、运营标准）及检查方法。',
      en: 'The indicators a hall is inspected on (operations, service and operating standards) and how each is checked.',
    },
  },
  '3§1.1': {
    title: { zh: '客服中心管理架构', en: 'Service centres: organisation' },
    text: {
      zh: '总部、省、地市三级客服中心的职责；省中心座席集中管理或分散在地市两种方式。',
      en: 'The duties of the headquarters, province and city centres; a province either centralises its seats or leaves them in the cities.',
    },
  },
  '3§1.2': {
    title: { zh: '客服中心岗位职责', en: 'Service centres: positions' },
    text: {
      zh: '质量监控、培训、统计分析、外呼、座席排班等岗位的职责。',
      en: 'Quality monitoring, training, statistics, outbound calls and seat scheduling.',
    },
  },
  '8§1': {
    title: { zh: '投诉处理的管理构架和职责', en: 'Complaint handling: organisation and duties' },
    text: {
      zh: '第八章《中国联通投诉处理规范》第 1 节：投诉处理的管理构架和各级职责（原文仅存目录）。',
      en: 'Chapter 8 (complaint handling), section 1: how complaint handling is organised and who does what at each level (only the table of contents survives).',
    },
  },
};

/** A clause reference in text: chapter § section, e.g. 2§3.5.2 (a trailing item such as "#1" stays outside). */
export const CLAUSE_REF = /\d§\d+(?:\.\d+)*/g;

/** The clause a reference names, or the nearest enclosing one (2§3.6.5.1 → 2§3.6.5). */
export function clauseOf(ref: string): (Clause & { ref: string }) | null {
  let r = ref;
  for (;;) {
    const c = CLAUSES[r];
    if (c) return { ref: r, ...c };
    const cut = r.lastIndexOf('.');
    if (cut < 0) return null;
    r = r.slice(0, cut);
  }
}
