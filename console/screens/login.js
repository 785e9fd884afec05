// Sign-in. After a lost session the console comes back to the screen the user was on.
import { html, useState } from '/vendor/standalone.module.js';
import { api } from '../api.js';
import { ErrorText } from '../components.js';

export function Login({ onDone, expired }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const submit = async (e) => {
    e.preventDefault();
    setError('');
    try {
      await api('POST', '/auth/login', { login, password });
      onDone();
    } catch (err) {
      setError(err.status === 429 ? 'Слишком много попыток входа, попробуйте позже.' : 'Неверный логин или пароль.');
    }
  };
  return html`<article style="max-width:28rem;margin:10vh auto" data-test="login-form">
    <h2>Отклик</h2>
    <p>Вход в консоль центра управления регионом</p>
    ${expired ? html`<p class="error" role="alert" data-test="session-expired">Сеанс закончился: войдите снова — вы вернётесь туда, где были.</p>` : null}
    <form onSubmit=${submit}>
      <label>Логин<input name="login" autocomplete="username" value=${login} onInput=${(e) => setLogin(e.target.value)} required /></label>
      <label>Пароль<input name="password" type="password" autocomplete="current-password" value=${password} onInput=${(e) => setPassword(e.target.value)} required /></label>
      <${ErrorText} error=${error} />
      <button type="submit" data-test="login">Войти</button>
    </form>
  </article>`;
}
