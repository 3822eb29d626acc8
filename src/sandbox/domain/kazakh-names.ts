import { parseIin } from '../../cms/iin.js';
import { sha256 } from '../../common/crypto/sha256.js';

/**
 * The sandbox's stand-in for the state register: a deterministic, plausible Kazakh name for any IIN
 * (the same IIN always gets the same name), in upper case as NCA certificates carry names.
 */
export interface PersonName {
  surname: string;
  givenName: string;
  patronymic: string;
}

const SURNAME_STEMS = [
  'Әбілқасым', 'Жақсыбек', 'Нұрлан', 'Қасым', 'Серікбай', 'Омар', 'Сейітқали', 'Байжан', 'Төлеген', 'Мұхамедж',
  'Сәрсенб', 'Ахмет', 'Есенгелді', 'Құдайберген', 'Ысқақ', 'Бектұрсын', 'Дәулетб', 'Жұмабек', 'Тұрсын', 'Ғалым',
];
const MALE_NAMES = [
  'Ерлан', 'Нұрлан', 'Асқар', 'Дәурен', 'Бауыржан', 'Серік', 'Ержан', 'Қайрат', 'Талғат', 'Әділет',
  'Ғалым', 'Жандос', 'Арман', 'Мұрат', 'Болат', 'Дархан', 'Ұлан', 'Айдос', 'Еркебұлан', 'Нұрсұлтан',
];
const FEMALE_NAMES = [
  'Айгүл', 'Гүлнәр', 'Әйгерім', 'Дана', 'Ақмарал', 'Жанар', 'Салтанат', 'Динара', 'Мәдина', 'Айжан',
  'Ұлжан', 'Қарлығаш', 'Балжан', 'Гүлмира', 'Назерке', 'Аружан', 'Жібек', 'Сәуле', 'Інкәр', 'Меруерт',
];
const FATHER_NAMES = ['Ерлан', 'Нұрлан', 'Асқар', 'Серік', 'Қайрат', 'Талғат', 'Болат', 'Мұрат', 'Дархан', 'Бақыт'];

function pick<T>(list: readonly T[], seed: Buffer, byte: number): T {
  return list[seed.readUInt16BE(byte) % list.length];
}

function surnameOf(stem: string, male: boolean): string {
  // Stems cut after "б"/"ж" take -аев/-аева (Сәрсенбаев), after "и" -ев/-ева (Сейітқалиев), the rest -ов/-ова.
  if (stem.endsWith('б') || stem.endsWith('ж')) return `${stem}${male ? 'аев' : 'аева'}`;
  if (stem.endsWith('и')) return `${stem}${male ? 'ев' : 'ева'}`;
  return `${stem}${male ? 'ов' : 'ова'}`;
}

function patronymicOf(father: string, male: boolean, kazakhForm: boolean): string {
  if (kazakhForm) return `${father}${male ? 'ұлы' : 'қызы'}`;
  return `${father}${male ? 'ович' : 'овна'}`;
}

export function nameForIin(iin: string): PersonName {
  const seed = sha256(`kezek-sandbox-person:${iin}`);
  const male = parseIin(iin).sex !== 'female';
  const surname = surnameOf(pick(SURNAME_STEMS, seed, 0), male);
  const givenName = pick(male ? MALE_NAMES : FEMALE_NAMES, seed, 2);
  const patronymic = patronymicOf(pick(FATHER_NAMES, seed, 4), male, seed[6] % 2 === 0);
  return { surname: surname.toLocaleUpperCase('kk-KZ'), givenName: givenName.toLocaleUpperCase('kk-KZ'), patronymic: patronymic.toLocaleUpperCase('kk-KZ') };
}

export function fullName(name: PersonName): string {
  return [name.surname, name.givenName, name.patronymic].filter(Boolean).join(' ');
}
